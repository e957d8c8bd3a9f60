// 02-retry-once_check.cpp: the check of exercise 02 (docs/exercises/02-retry-once.md),
// built against exercises/02-retry-once (the starter) and against its solution.
// slow_server's faults apply to every `fault_every`-th connection it accepts, so the
// server's count of connections tells how many attempts the client made.
#include "client.hpp"  // the exercise's (the starter's or the solution's: see CMakeLists.txt)

#include <doctest/doctest.h>

#include <cerrno>

#include "common/client_errors.hpp"
#include "tests/exercises/check_support.hpp"
#include "tests/support/client_run.hpp"
#include "tests/support/server_thread.hpp"

namespace {

using test_support::well_below;

constexpr double delay = 0.15;

test_support::ClientRun run_exercise(const common::ClientOptions& options) {
  return test_support::run_client("exercise", options, exercises::run);
}

}  // namespace

TEST_CASE("a request whose connection was closed early succeeds at its second attempt" *
          test_support::timing) {
  // Two requests: the second connection accepted is closed early, the third (its retry) is not.
  test_support::ServerThread server(
      exercise_check::server_options(delay, slow_server::Fault::close_early, 2));
  auto options = test_support::client_options(server.port(), 2);
  auto run = run_exercise(options);
  CHECK(run.exit_code == 0);
  CHECK(test_support::all_match_their_ids(run.results));
  CHECK(server.server().stats().connections_accepted == 3);
  CHECK(run.wall_seconds < well_below(options.timeout_seconds));  // the close was not waited out
}

TEST_CASE("a request that fails twice is tried exactly twice, and reports the second error" *
          test_support::timing) {
  test_support::ServerThread server(
      exercise_check::server_options(delay, slow_server::Fault::reset));
  auto options = test_support::client_options(server.port(), 10);
  auto run = run_exercise(options);
  CHECK(run.exit_code == 1);
  exercise_check::check_all_failed_with(
      run.results, common::client_errors::recv_failed(options.address(), ECONNRESET));
  CHECK(server.server().stats().connections_accepted == 20);  // 10 requests x 2 attempts
  CHECK(run.wall_seconds < well_below(10 * 2 * delay));       // one after another
}

TEST_CASE("nothing listening: each request fails with connection refused, after two tries" *
          test_support::timing) {
  auto options = test_support::client_options(test_support::unused_port(), 3);
  auto run = run_exercise(options);
  CHECK(run.exit_code == 1);
  exercise_check::check_all_failed_with(
      run.results, common::client_errors::connect_failed(options.address(), ECONNREFUSED));
  CHECK(run.wall_seconds < well_below(options.timeout_seconds));  // refused, not timed out
}

TEST_CASE("a request that timed out is not retried" * test_support::timing) {
  test_support::ServerThread server(
      exercise_check::server_options(delay, slow_server::Fault::stall));
  const double timeout = 0.3;
  auto run = run_exercise(test_support::client_options(server.port(), 10, timeout));
  CHECK(run.exit_code == 1);
  exercise_check::check_all_failed_with(run.results, common::client_errors::timed_out(timeout));
  // The server may accept the last connections a moment after the client gave up on them.
  CHECK(test_support::eventually([&] { return server.server().stats().connections_accepted >= 10; },
                                 3.0));
  CHECK(server.server().stats().connections_accepted == 10);  // none retried
  CHECK(run.wall_seconds < well_below(10 * timeout));         // the timeouts one after another
}

TEST_CASE("with no fault, 10 requests still finish in about one delay, one connection each" *
          test_support::timing) {
  test_support::ServerThread server(exercise_check::server_options(delay));
  auto run = run_exercise(test_support::client_options(server.port(), 10));
  CHECK(run.exit_code == 0);
  CHECK(test_support::all_match_their_ids(run.results));
  CHECK(server.server().stats().connections_accepted == 10);
  CHECK(run.wall_seconds < well_below(10 * delay));  // one after another
}
