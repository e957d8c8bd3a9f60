#include <doctest/doctest.h>
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "common/cli.hpp"
#include "common/client_options.hpp"
#include "tests/support/command_line.hpp"

namespace {

struct Parsed {
  std::optional<int> exit_code;
  common::ClientOptions options;
  std::string error;  // CLI11's message for bad input
};

Parsed parse(std::vector<std::string> words, bool with_selector = true) {
  CLI::App app{"test", "stage_test"};
  Parsed parsed;
  common::add_client_options(app, parsed.options, with_selector);
  test_support::CommandLine line = test_support::parse_words(app, std::move(words));
  parsed.exit_code = line.exit_code;
  parsed.error = line.error;
  return parsed;
}

}  // namespace

TEST_CASE("defaults follow the contract") {
  Parsed parsed = parse({});
  CHECK_FALSE(parsed.exit_code);
  CHECK(parsed.options.host == "127.0.0.1");
  CHECK(parsed.options.port == 8080);
  CHECK(parsed.options.requests == 10);
  CHECK(parsed.options.timeout_seconds == 30.0);
  CHECK(parsed.options.selector == common::default_selector_kind());
  CHECK(parsed.options.request_ids() == std::vector<int>{9, 8, 7, 6, 5, 4, 3, 2, 1, 0});
}

TEST_CASE("every option is read") {
  Parsed parsed = parse({"--host", "localhost", "--port", "9000", "--requests", "3", "--timeout",
                         "0.5", "--selector", "poll", "--quiet", "--json"});
  REQUIRE_FALSE(parsed.exit_code);
  CHECK(parsed.options.host == "localhost");
  CHECK(parsed.options.port == 9000);
  CHECK(parsed.options.request_ids() == std::vector<int>{2, 1, 0});
  CHECK(parsed.options.timeout_seconds == 0.5);
  CHECK(parsed.options.selector == common::SelectorKind::poll);
  CHECK(parsed.options.quiet);
  CHECK(parsed.options.json);
  CHECK(parsed.options.address().to_string() == "localhost:9000");
}

TEST_CASE("bad input exits 2") {
  CHECK(parse({"--requests", "0"}).exit_code == 2);
  CHECK(parse({"--requests", "ten"}).exit_code == 2);
  CHECK(parse({"--port", "70000"}).exit_code == 2);
  CHECK(parse({"--timeout", "-1"}).exit_code == 2);
  CHECK(parse({"--selector", "kqueue"}).exit_code == 2);
  CHECK(parse({"--no-such-option"}).exit_code == 2);
  CHECK(parse({"--host", "no.such.host.invalid"}).exit_code == 2);
}

TEST_CASE("stage 0 has no --selector") {
  CHECK(parse({"--selector", "poll"}, false).exit_code == 2);
}

TEST_CASE("--help exits 0") {
  CHECK(parse({"--help"}).exit_code == 0);
}

// CLI11 2.1 alone reads integers as C literals: "010" is 8, "0x1f90" is 8080.
TEST_CASE("integer options take decimal digits only, and say which option and value are wrong") {
  for (const char* option : {"--port", "--requests"}) {
    for (const char* text : {"010", "0x1f90", "0x10", "1e3", "0b11", "+5", "-1", " 8", "8 ", "",
                             "99999999999999999999999"}) {
      CAPTURE(option);
      CAPTURE(text);
      Parsed parsed = parse({option, text});
      CHECK(parsed.exit_code == 2);
      CHECK(parsed.error.find(option) != std::string::npos);
      CHECK(parsed.error.find(std::string("'") + text + "'") != std::string::npos);
    }
  }
  CHECK(parse({"--port", "8080"}).options.port == 8080);
  CHECK(parse({"--port", "65535"}).options.port == 65535);
  CHECK(parse({"--requests", "10"}).options.requests == 10);
}

TEST_CASE("--port is 1-65535: no wrap-around past 16 bits, and 0 is not a port to connect to") {
  CHECK(parse({"--port", "65536"}).exit_code == 2);
  CHECK(parse({"--port", "0"}).exit_code == 2);
  CHECK(parse({"--port", "1"}).options.port == 1);
}

TEST_CASE("--timeout is a finite number of seconds, above 0, at most max_option_seconds") {
  for (const char* text : {"nan", "NaN", "inf", "-inf", "infinity", "1e300", "1e400", "1000001",
                           "0", "-1", "0x1p3", "+1", " 1", "1s", ""}) {
    CAPTURE(text);
    Parsed parsed = parse({"--timeout", text});
    CHECK(parsed.exit_code == 2);
    CHECK(parsed.error.find("--timeout") != std::string::npos);
    CHECK(parsed.error.find(std::string("'") + text + "'") != std::string::npos);
  }
  CHECK(parse({"--timeout", "1e6"}).options.timeout_seconds == common::max_option_seconds);
  CHECK(parse({"--timeout", "1e-3"}).options.timeout_seconds == 0.001);
  CHECK(parse({"--timeout", ".5"}).options.timeout_seconds == 0.5);
}
