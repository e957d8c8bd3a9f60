#include "common/client_options.hpp"

#include "common/cli.hpp"

namespace common {

std::vector<int> ClientOptions::request_ids() const {
  std::vector<int> ids;
  ids.reserve(static_cast<std::size_t>(requests));
  for (int id = requests - 1; id >= 0; --id) ids.push_back(id);
  return ids;
}

void add_client_options(CLI::App& app, ClientOptions& options, bool with_selector) {
  add_server_address_options(app, options.host, options.port);
  app.add_option("--requests", options.requests, "How many requests to send (ids N-1 down to 0)")
      ->capture_default_str()
      ->check(integer_validator(1, 10'000'000));
  app.add_option("--timeout", options.timeout_seconds,
                 "Seconds each request may take before it fails")
      ->capture_default_str()
      ->check(seconds_validator(false));
  if (with_selector) add_selector_option(app, options.selector);
  app.add_flag("--quiet", options.quiet, "Print only the summary and the timeline");
  app.add_flag("--json", options.json, "Print one JSON object instead of text");
  app.add_option(
      "--trace", options.trace_file,
      "Also write the run as a Chrome trace (open in ui.perfetto.dev): one track per request");
}

std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
    return std::nullopt;
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);  // prints the help, exit code 0
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    app.exit(error);  // prints CLI11's message on stderr
    return 2;         // the contract: 2 for bad command-line input
  }
}

}  // namespace common
