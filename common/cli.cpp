#include "common/cli.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

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

void add_server_address_options(CLI::App& app, std::string& host, std::uint16_t& port) {
  app.add_option("--host", host, "Server host")->capture_default_str()->check(host_validator());
  app.add_option("--port", port, "Server port")
      ->capture_default_str()
      ->check(integer_validator(1, 65535));  // port 0 is for listening, not connecting
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

CLI::Validator integer_validator(std::uint64_t min, std::uint64_t max) {
  const std::string range = std::to_string(min) + "-" + std::to_string(max);
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        const bool digits_only =
            !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
        const bool leading_zero = text.size() > 1 && text[0] == '0';
        std::uint64_t value = 0;
        // from_chars, base 10, refuses a number past uint64 (result_out_of_range).
        const bool read =
            digits_only && !leading_zero &&
            std::from_chars(text.data(), text.data() + text.size(), value).ec == std::errc{};
        if (!read || value < min || value > max)
          return "expected a whole number " + range + " in decimal digits, got '" + text + "'";
        return {};
      },
      "INT " + range);
}

CLI::Validator seconds_validator(bool allow_zero) {
  return CLI::Validator(
      [allow_zero](std::string& text) -> std::string {
        // from_chars (general format) reads decimal and exponent forms only: no spaces, no
        // '+', no hex; it does read "nan" and "inf", which the range check then refuses.
        double seconds = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
        const bool read = error == std::errc{} && end == text.data() + text.size();
        const bool in_range = std::isfinite(seconds) && seconds <= max_option_seconds &&
                              (allow_zero ? seconds >= 0 : seconds > 0);
        if (!read || !in_range)
          return std::string("expected a number of seconds ") + (allow_zero ? ">= 0" : "> 0") +
                 " and at most " + std::to_string(static_cast<long>(max_option_seconds)) +
                 ", got '" + text + "'";
        return {};
      },
      "SECONDS");
}

}  // namespace common
