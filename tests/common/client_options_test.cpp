#include <doctest/doctest.h>
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "common/client_options.hpp"

namespace {

struct Parsed {
  std::optional<int> exit_code;
  common::ClientOptions options;
};

Parsed parse(std::vector<std::string> words, bool with_selector = true) {
  CLI::App app{"test", "stage_test"};
  Parsed parsed;
  common::add_client_options(app, parsed.options, with_selector);
  words.insert(words.begin(), "stage_test");
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  parsed.exit_code = common::parse_command_line(app, static_cast<int>(argv.size()), argv.data());
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
