// slow_server's command line (slow_server/options.hpp), parsed in process: every integer
// option in decimal digits within its range, every seconds option finite and bounded,
// bad input exit 2 with CLI11's message naming the option and the value.
#include <doctest/doctest.h>
#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "common/cli.hpp"
#include "common/client_options.hpp"
#include "slow_server/options.hpp"
#include "tests/support/command_line.hpp"

namespace {

struct Parsed {
  std::optional<int> exit_code;
  slow_server::ServerOptions options;
  std::string error;  // CLI11's message for bad input
};

Parsed parse(std::vector<std::string> words) {
  CLI::App app{"test", "slow_server"};
  Parsed parsed;
  slow_server::add_server_options(app, parsed.options);
  test_support::CommandLine line = test_support::parse_words(app, std::move(words));
  parsed.exit_code = line.exit_code;
  parsed.error = line.error;
  return parsed;
}

// Exit 2, and the message names both the option and the text given.
void check_refused(const std::string& option, const std::string& text) {
  CAPTURE(option);
  CAPTURE(text);
  Parsed parsed = parse({option, text});
  CHECK(parsed.exit_code == 2);
  CHECK(parsed.error.find(option) != std::string::npos);
  CHECK(parsed.error.find("'" + text + "'") != std::string::npos);
}

}  // namespace

TEST_CASE("the server's defaults, and every option read") {
  Parsed defaults = parse({});
  REQUIRE_FALSE(defaults.exit_code);
  CHECK(defaults.options.port == 8080);
  CHECK(defaults.options.delay_seconds == 5.0);
  CHECK(defaults.options.request_timeout_seconds == 10.0);
  CHECK(defaults.options.send_timeout_seconds == 60.0);
  CHECK(defaults.options.max_owed_per_connection == 4096);
  CHECK(defaults.options.max_owed_answers == 250'000);
  CHECK(defaults.options.max_buffered_bytes == 64u << 20);

  Parsed parsed =
      parse({"--port", "0", "--delay", "0.25", "--max-connections", "100", "--idle-timeout", "1e6",
             "--fault", "trickle", "--fault-every", "3", "--trickle-gap", "0"});
  REQUIRE_FALSE(parsed.exit_code);
  CHECK(parsed.options.port == 0);
  CHECK(parsed.options.delay_seconds == 0.25);
  CHECK(parsed.options.max_connections == 100);
  CHECK(parsed.options.idle_timeout_seconds == common::max_option_seconds);
  CHECK(parsed.options.fault == slow_server::Fault::trickle);
  CHECK(parsed.options.fault_every == 3);
  CHECK(parsed.options.trickle_gap_seconds == 0.0);
  // The deadlines and the budget, and 0 (off) where it means something.
  parsed = parse({"--request-timeout", "0.5", "--send-timeout", "0", "--max-owed-per-connection",
                  "1", "--max-owed-answers", "0", "--max-buffered-bytes", "1048576"});
  REQUIRE_FALSE(parsed.exit_code);
  CHECK(parsed.options.request_timeout_seconds == 0.5);
  CHECK(parsed.options.send_timeout_seconds == 0.0);
  CHECK(parsed.options.max_owed_per_connection == 1);
  CHECK(parsed.options.max_owed_answers == 0);
  CHECK(parsed.options.max_buffered_bytes == 1048576);
  CHECK(parse({"--port", "8080"}).options.port == 8080);
  CHECK(parse({"--port", "65535"}).options.port == 65535);
}

// CLI11 2.1 alone reads "010" as 8 and "0x1f90" as 8080, and wraps nothing into range.
TEST_CASE("the server's integer options take decimal digits only, within range") {
  for (const char* option :
       {"--port", "--max-connections", "--fault-every", "--max-owed-per-connection",
        "--max-owed-answers", "--max-buffered-bytes"}) {
    for (const char* text : {"010", "0x1f90", "0x10", "1e3", "+5", "-1", " 8", "eight"})
      check_refused(option, text);
  }
  check_refused("--port", "65536");
  check_refused("--port", "99999999999999999999999");
  check_refused("--max-connections", "0");
  check_refused("--fault-every", "0");
  check_refused("--max-owed-per-connection", "0");  // no answer at all is not "off"
}

TEST_CASE("the server's seconds options refuse NaN, infinities, negatives and past 1e6") {
  for (const char* option : {"--delay", "--idle-timeout", "--request-timeout", "--send-timeout",
                             "--drain-timeout", "--trickle-gap"}) {
    for (const char* text : {"nan", "inf", "-inf", "1e300", "1000001", "-1", "-0.5", "0x1p3"})
      check_refused(option, text);
  }
}
