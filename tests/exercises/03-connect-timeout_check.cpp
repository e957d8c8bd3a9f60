// 03-connect-timeout_check.cpp: the check of exercise 03 (docs/exercises/03-connect-timeout.md),
// built against exercises/03-connect-timeout (the starter) and against its solution.
// A server too busy to accept is exercise_check::NeverAccepting: a full accept queue.
#include "client.hpp"  // the exercise's (the starter's or the solution's: see CMakeLists.txt)

#include <doctest/doctest.h>

#include "common/client_errors.hpp"
#include "tests/exercises/check_support.hpp"
#include "tests/support/client_run.hpp"
#include "tests/support/server_thread.hpp"

namespace {

using test_support::well_below;

constexpr double delay = 0.2;

test_support::ClientRun run_exercise(const common::ClientOptions& options,
                                     double connect_timeout_seconds) {
  return test_support::run_client(
      "exercise", options,
      [connect_timeout_seconds](const common::ClientOptions& o, common::RunReport& report) {
        exercises::run(o, report, connect_timeout_seconds);
      });
}

}  // namespace

TEST_CASE("a server that never accepts: the connect timeout ends each request, naming it" *
          test_support::timing) {
  exercise_check::NeverAccepting server;
  auto options = test_support::client_options(server.port(), 3, /*timeout_seconds=*/2.0);
  auto run = run_exercise(options, /*connect_timeout_seconds=*/0.1);
  CHECK(run.exit_code == 1);
  exercise_check::check_all_failed_with(run.results,
                                        exercises::connect_timed_out(options.address(), 0.1));
  CHECK(run.wall_seconds > 0.1);
  CHECK(run.wall_seconds < well_below(options.timeout_seconds));  // not --timeout's 2 s
}

TEST_CASE("once connected, the connect timeout is over: a slow answer still arrives" *
          test_support::timing) {
  test_support::ServerThread server(exercise_check::server_options(delay));
  auto run = run_exercise(test_support::client_options(server.port(), 10),
                          /*connect_timeout_seconds=*/0.05);
  CHECK(run.exit_code == 0);
  CHECK(test_support::all_match_their_ids(run.results));
  CHECK(run.wall_seconds < well_below(10 * delay));  // one after another
}

TEST_CASE("connected, but never answered: --timeout ends the request, in its own words" *
          test_support::timing) {
  test_support::ServerThread server(
      exercise_check::server_options(delay, slow_server::Fault::stall));
  const double timeout = 0.3;
  auto run = run_exercise(test_support::client_options(server.port(), 10, timeout),
                          /*connect_timeout_seconds=*/0.1);
  CHECK(run.exit_code == 1);
  exercise_check::check_all_failed_with(run.results, common::client_errors::timed_out(timeout));
  CHECK(run.wall_seconds < well_below(10 * timeout));  // the timeouts one after another
}

TEST_CASE("a connect timeout longer than --timeout: --timeout comes first, in its own words" *
          test_support::timing) {
  exercise_check::NeverAccepting server;
  const double connect_timeout = 5;
  auto run = run_exercise(test_support::client_options(server.port(), 2, /*timeout_seconds=*/0.2),
                          connect_timeout);
  CHECK(run.exit_code == 1);
  exercise_check::check_all_failed_with(run.results, common::client_errors::timed_out(0.2));
  CHECK(run.wall_seconds < well_below(connect_timeout));  // not the connect timeout
}
