#include "common/cli.hpp"

#include "common/net.hpp"

namespace common {

void add_selector_option(CLI::App& app, SelectorKind& kind) {
  std::map<std::string, SelectorKind> kinds;
  for (auto each : {SelectorKind::epoll, SelectorKind::poll, SelectorKind::select}) {
    if (selector_available(each)) kinds.emplace(std::string(to_string(each)), each);
  }
  add_choice_option(app, "--selector", kind, kinds,
                    "How the loop waits for sockets: epoll, poll or select (docs/selectors.md)");
}

CLI::Validator host_validator() {
  return CLI::Validator(
      [](std::string& host) -> std::string {
        try {
          resolve_address(host, 0);
          return {};
        } catch (const std::exception& error) {
          return error.what();
        }
      },
      "HOST");
}

CLI::Validator seconds_validator(bool allow_zero) {
  return CLI::Validator(
      [allow_zero](std::string& text) -> std::string {
        double seconds = 0;
        bool ok = CLI::detail::lexical_cast(text, seconds) && seconds <= 1e9 &&
                  (allow_zero ? seconds >= 0 : seconds > 0);
        if (!ok)
          return std::string("expected a number of seconds ") + (allow_zero ? ">= 0" : "> 0") +
                 ", got '" + text + "'";
        return {};
      },
      "SECONDS");
}

}  // namespace common
