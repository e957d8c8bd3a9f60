// The anti-pattern flags of extras/anti_patterns.cpp, parsed as the binary parses them and
// run against a slow_server in a thread of this process: --nested-loop ends in a clear error
// at once, --race loses updates, --race --lock loses none.
#include <doctest/doctest.h>

#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "common/cli.hpp"
#include "stage4_coroutines/extras/command_line.hpp"
#include "tests/support/client_run.hpp"
#include "tests/support/command_line.hpp"
#include "tests/support/server_thread.hpp"
#include "tests/support/timing.hpp"

namespace {

constexpr double delay = 0.2;
constexpr int requests = 10;

slow_server::ServerOptions server_options() {
  slow_server::ServerOptions options;
  options.delay_seconds = delay;
  return options;
}

struct FlagRun {
  test_support::ClientRun run;
  std::string log;  // what stage 4 wrote on std::cerr (--race's count)
};

// Parses `words` with stage 4's flags, as the binary does, then runs it against `port`.
FlagRun run_with(std::uint16_t port, std::vector<std::string> words) {
  CLI::App app("stage 4", "stage4_coroutines");
  stage4::CommandLine command_line;
  stage4::add_stage4_options(app, command_line);
  REQUIRE_FALSE(test_support::parse_words(app, words).exit_code);
  std::ostringstream log;
  std::streambuf* saved = std::cerr.rdbuf(log.rdbuf());
  auto run = test_support::run_client(
      "stage4_coroutines", test_support::client_options(port, requests),
      [&](const common::ClientOptions& options, common::RunReport& report) {
        stage4::run_with_flags(options, report, command_line);
      });
  std::cerr.rdbuf(saved);
  return {run, log.str()};
}

// "--race: 10 answers, counted 1: 9 updates lost" -> {10, 1}
std::pair<int, int> answers_and_count(const std::string& log) {
  std::smatch found;
  REQUIRE(std::regex_search(log, found, std::regex(R"((\d+) answers, counted (\d+): )")));
  return {std::stoi(found[1]), std::stoi(found[2])};
}

}  // namespace

TEST_CASE("--nested-loop: a loop started inside a coroutine is refused at once, clearly" *
          test_support::timing) {
  test_support::ServerThread server(server_options());
  FlagRun flagged = run_with(server.port(), {"--nested-loop"});
  CHECK(flagged.run.exit_code == 1);
  CHECK(flagged.run.err.find("stage4_coroutines: error: run_once: a loop is already running on "
                             "this thread (from a step?)") != std::string::npos);
  for (const auto& result : flagged.run.results) CHECK_FALSE(result.ok);
  // Ruled out: each request run to its end on its own loop, one after another.
  CHECK(flagged.run.wall_seconds < test_support::well_below(requests * delay));
}

TEST_CASE("--race loses updates across a co_await, --race --lock loses none" *
          test_support::timing) {
  test_support::ServerThread server(server_options());

  FlagRun racy = run_with(server.port(), {"--race"});
  CHECK(racy.run.exit_code == 0);
  CHECK(test_support::all_match_their_ids(racy.run.results));
  auto [answers, counted] = answers_and_count(racy.log);
  CHECK(answers == requests);
  CHECK(counted < answers);  // answers that came together read the same count
  CHECK(racy.log.find(counted == requests - 1 ? " update lost\n" : " updates lost\n") !=
        std::string::npos);

  FlagRun locked = run_with(server.port(), {"--race", "--lock"});
  CHECK(locked.run.exit_code == 0);
  CHECK(test_support::all_match_their_ids(locked.run.results));
  CHECK(answers_and_count(locked.log) == std::pair{requests, requests});
  CHECK(locked.log.find("--race --lock: 10 answers, counted 10: no update lost\n") !=
        std::string::npos);
}

TEST_CASE("--lock needs --race, and --nested-loop and --race go alone") {
  for (std::vector<std::string> words : std::vector<std::vector<std::string>>{
           {"--lock"}, {"--nested-loop", "--race"}, {"--race", "--sequential"}}) {
    CLI::App app("stage 4", "stage4_coroutines");
    stage4::CommandLine command_line;
    stage4::add_stage4_options(app, command_line);
    CHECK(test_support::parse_words(app, words).exit_code == 2);
  }
}
