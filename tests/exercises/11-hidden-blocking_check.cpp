// 11-hidden-blocking_check.cpp: the check of exercise 11 (docs/exercises/11-hidden-blocking.md),
// built against exercises/11-hidden-blocking (the starter) and against its solution. The
// client runs with stage 4's --debug observer (extras/loop_trace.hpp) writing into a
// string: what it reports is the clue the exercise asks the student to follow, so a failed
// check shows it.
#include "client.hpp"  // the exercise's (the starter's or the solution's: see CMakeLists.txt)

#include <doctest/doctest.h>

#include <chrono>
#include <sstream>
#include <string>

#include "common/client_errors.hpp"
#include "common/protocol.hpp"
#include "stage4_coroutines/extras/loop_trace.hpp"
#include "tests/exercises/check_support.hpp"
#include "tests/support/client_run.hpp"
#include "tests/support/server_thread.hpp"

namespace {

constexpr double delay = 0.25;

std::string answer(int id) {
  return common::protocol::response_text(common::protocol::request_text(id));
}

}  // namespace

TEST_CASE("10 requests at once: about one delay, every answer right, and --debug quiet" *
          test_support::timing) {
  test_support::ServerThread server(exercise_check::server_options(delay));
  std::ostringstream debug_log;
  // --debug, with a slow step at half a delay: a step that waits for the server takes a
  // whole one, a step that does not takes microseconds (a busy machine: milliseconds).
  stage4::LoopTrace debug(
      {.debug = true,
       .slow_step = std::chrono::duration_cast<stage4::Duration>(common::Seconds(delay / 2)),
       .log = &debug_log});
  auto run = test_support::run_client(
      "exercise", test_support::client_options(server.port(), 10),
      [&](const common::ClientOptions& options, common::RunReport& report) {
        exercises::run(options, report, &debug);
      });
  CHECK(run.exit_code == 0);
  exercise_check::check_all_answered(run.results, answer);
  CHECK(run.wall_seconds > 0.9 * delay);                           // the server's delay...
  CHECK(run.wall_seconds < test_support::well_below(10 * delay));  // ...not 10 of them
  CHECK_MESSAGE(debug_log.str().empty(), "what --debug reports:\n" << debug_log.str());
}

TEST_CASE("a server that never answers: every request times out at its --timeout, together" *
          test_support::timing) {
  // The answers would come after 30 s; each request gives up at 0.3 s, all at the same time.
  test_support::ServerThread server(exercise_check::server_options(30));
  const double timeout = 0.3;
  auto run =
      test_support::run_client("exercise", test_support::client_options(server.port(), 5, timeout),
                               [](const common::ClientOptions& options, common::RunReport& report) {
                                 exercises::run(options, report);
                               });
  CHECK(run.exit_code == 1);
  exercise_check::check_all_failed_with(run.results, common::client_errors::timed_out(timeout));
  CHECK(run.wall_seconds < test_support::well_below(5 * timeout));  // not one after another
}
