// follow_up_checks.hpp: the check of the two follow-up exercises, 01 (stage 1, nested
// callbacks) and 04 (stage 2, the state machine): the same behaviour, asked of both.
// The including file first includes its exercise's client.hpp, which declares
// exercises::run and exercises::follow_up_text.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "common/client_errors.hpp"
#include "common/protocol.hpp"
#include "tests/exercises/check_support.hpp"
#include "tests/support/client_run.hpp"
#include "tests/support/server_thread.hpp"

namespace follow_up_check {

using test_support::well_below;

constexpr double delay = 0.15;

inline test_support::ClientRun run_exercise(const common::ClientOptions& options) {
  return test_support::run_client("exercise", options, exercises::run);
}

// "Response to Request 7 again"
inline std::string second_answer(int id) {
  return common::protocol::response_text(exercises::follow_up_text(id));
}

}  // namespace follow_up_check

TEST_CASE("each request gets two answers, one after the other, on one connection" *
          test_support::timing) {
  using namespace follow_up_check;
  test_support::ServerThread server(exercise_check::server_options(delay));
  auto run = run_exercise(test_support::client_options(server.port(), 10));
  CHECK(run.exit_code == 0);
  exercise_check::check_all_answered(run.results, second_answer);
  const slow_server::ServerStats stats = server.server().stats();
  CHECK(stats.connections_accepted == 10);  // one connection per request...
  CHECK(stats.requests_received == 20);     // ...carrying two requests
  CHECK(run.wall_seconds > 1.8 * delay);    // the follow-up waits for the first answer...
  CHECK(run.wall_seconds < well_below(10 * 2 * delay));  // ...the requests not one by one
}

TEST_CASE("--timeout counts from the request's start, over both exchanges" * test_support::timing) {
  using namespace follow_up_check;
  // The first answer comes after 0.15 s, the second after 0.3 s: past a 0.25 s timeout.
  test_support::ServerThread server(exercise_check::server_options(delay));
  const double timeout = 0.25;
  auto options = test_support::client_options(server.port(), 10, timeout);
  auto run = run_exercise(options);
  CHECK(run.exit_code == 1);
  exercise_check::check_all_failed_with(run.results, common::client_errors::timed_out(timeout));
  // Every follow-up was sent (the server may count the last ones a moment after the run).
  CHECK(test_support::eventually([&] { return server.server().stats().requests_received == 20; },
                                 3.0));
  CHECK(run.wall_seconds < well_below(10 * timeout));  // the timeouts one after another
}

TEST_CASE("answers trickling in one byte at a time are reassembled, both of them") {
  using namespace follow_up_check;
  test_support::ServerThread server(
      exercise_check::server_options(delay, slow_server::Fault::trickle));
  auto run = run_exercise(test_support::client_options(server.port(), 5));
  CHECK(run.exit_code == 0);
  exercise_check::check_all_answered(run.results, second_answer);
}

TEST_CASE("a server that closes before answering: the request fails, naming it" *
          test_support::timing) {
  using namespace follow_up_check;
  test_support::ServerThread server(
      exercise_check::server_options(delay, slow_server::Fault::close_early));
  auto options = test_support::client_options(server.port(), 3);
  auto run = run_exercise(options);
  CHECK(run.exit_code == 1);
  exercise_check::check_all_failed_with(run.results,
                                        common::client_errors::closed_early(options.address()));
  CHECK(run.wall_seconds < well_below(options.timeout_seconds));  // the close ended it
}
