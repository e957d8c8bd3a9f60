// client_options.hpp: the command line every client stage shares (docs/00-overview.md,
// "Running one stage by hand"), parsed with CLI11 (in client_options.cpp).
#pragma once

#include "common/cli_fwd.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/net.hpp"
#include "common/protocol.hpp"
#include "common/selector.hpp"

namespace common {

struct ClientOptions {
  std::string host = std::string(protocol::default_host);
  std::uint16_t port = protocol::default_port;
  int requests = 10;
  double timeout_seconds = 30.0;  // per request
  SelectorKind selector = default_selector_kind();
  bool quiet = false;
  bool json = false;
  std::string trace_file;  // --trace FILE: write the run as Chrome trace-event JSON

  // host:port, resolved (the option's validator already checked that it resolves).
  Address address() const { return resolve_address(host, port); }
  Seconds timeout() const { return Seconds(timeout_seconds); }
  // The ids to send, as the article does: requests-1 down to 0.
  std::vector<int> request_ids() const;
};

// Adds --host --port --requests --timeout --quiet --json (and --selector when the
// stage has a selector loop, stages 1-4) to `app`, writing into `options`.
void add_client_options(CLI::App& app, ClientOptions& options, bool with_selector);

// Parses the command line. Returns nullopt when the program should go on, else the
// exit code to return from main: 0 after --help, 2 for bad input (CLI11's message is
// printed on stderr).
std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv);

}  // namespace common
