// Stage 0 against a real slow_server: one after another takes N delays, a thread per
// request takes one; every fault ends its request with the shared wording.
#include <doctest/doctest.h>

#include <string>

#include "common/client_errors.hpp"
#include "stage0_blocking/client.hpp"
#include "tests/support/client_run.hpp"
#include "tests/support/fake_server.hpp"
#include "tests/support/server_thread.hpp"
#include "tests/support/timing.hpp"

namespace {

using test_support::well_below;

constexpr double delay = 0.2;

slow_server::ServerOptions server_options(slow_server::Fault fault = slow_server::Fault::none) {
  slow_server::ServerOptions options;
  options.delay_seconds = delay;
  options.fault = fault;
  return options;
}

test_support::ClientRun run_sequential(const common::ClientOptions& options) {
  return test_support::run_client("stage0_blocking", options, stage0::run);
}

test_support::ClientRun run_threads(const common::ClientOptions& options,
                                    std::size_t max_threads = stage0::thread_limit()) {
  return test_support::run_client(
      "stage0_blocking", options,
      [max_threads](const common::ClientOptions& options, common::RunReport& report) {
        stage0::run_threads(options, report, max_threads);
      });
}

// Every request failed, and each message contains `part`.
bool all_failed_with(const test_support::ClientRun& run, const std::string& part) {
  for (const auto& result : run.results) {
    if (result.ok || result.error.find(part) == std::string::npos) return false;
  }
  return !run.results.empty();
}

}  // namespace

TEST_CASE("make_tcp_request returns the answer to its own request") {
  test_support::ServerThread server(server_options());
  common::Address address = common::resolve_address("127.0.0.1", server.port());
  CHECK(stage0::make_tcp_request(address, 7, common::Seconds(5)) == "Response to Request 7");
}

TEST_CASE("one after another, N requests take N delays" * test_support::timing) {
  test_support::ServerThread server(server_options());
  const int n = 5;
  auto run = run_sequential(test_support::client_options(server.port(), n));
  CHECK(run.exit_code == 0);
  CHECK(test_support::all_match_their_ids(run.results));
  // Each waited for the one before. No upper bound: a busy machine only adds time, and
  // nothing slower than one after another is left to rule out.
  CHECK(run.wall_seconds > 0.9 * n * delay);
}

TEST_CASE("a thread per request: N requests take about one delay" * test_support::timing) {
  test_support::ServerThread server(server_options());
  for (int n : {10, 200}) {
    CAPTURE(n);
    auto run = run_threads(test_support::client_options(server.port(), n));
    CHECK(run.exit_code == 0);
    CHECK(test_support::all_match_their_ids(run.results));
    CHECK(run.wall_seconds > 0.9 * delay);
    // Starting 200 threads under ThreadSanitizer on a busy machine takes seconds: the
    // bound is half of one after another (40 s for 200), not a few delays.
    CHECK(run.wall_seconds < well_below(n * delay));
  }
}

TEST_CASE("threads past the limit are refused with a message naming it, the rest run") {
  test_support::ServerThread server(server_options());
  auto run = run_threads(test_support::client_options(server.port(), 5), /*max_threads=*/3);
  CHECK(run.exit_code == 1);
  // Ids 4, 3, 2 are sent first and get the three threads; 1 and 0 get none.
  for (int id : {4, 3, 2}) CHECK(run.results[id].ok);
  for (int id : {1, 0}) {
    CHECK_FALSE(run.results[id].ok);
    CHECK(run.results[id].error.find("at most 3 threads") != std::string::npos);
  }
  CHECK(stage0::thread_limit() >= 1);
  CHECK(stage0::thread_limit() <= 10'000);
}

TEST_CASE("no server listening: every request fails with Connection refused" *
          test_support::timing) {
  std::uint16_t port = test_support::unused_port();
  for (bool threads : {false, true}) {
    CAPTURE(threads);
    auto options = test_support::client_options(port, 3);
    auto run = threads ? run_threads(options) : run_sequential(options);
    CHECK(run.exit_code == 1);
    CHECK(all_failed_with(run, "Connection refused"));
    CHECK(all_failed_with(run, "connect to 127.0.0.1:" + std::to_string(port)));
    CHECK(run.wall_seconds < well_below(options.timeout_seconds));  // refused, not timed out
  }
}

TEST_CASE("a server that never answers: each request times out, the run ends" *
          test_support::timing) {
  test_support::ServerThread server(server_options(slow_server::Fault::stall));
  const double timeout = 0.3;
  auto sequential = run_sequential(test_support::client_options(server.port(), 2, timeout));
  CHECK(sequential.exit_code == 1);
  CHECK(all_failed_with(sequential, common::client_errors::timed_out(timeout)));
  // Each waited its whole timeout; that the run ended at all shows the timeouts fired.
  CHECK(sequential.wall_seconds > 2 * timeout * 0.9);

  auto threads = run_threads(test_support::client_options(server.port(), 10, timeout));
  CHECK(threads.exit_code == 1);
  CHECK(all_failed_with(threads, common::client_errors::timed_out(timeout)));
  CHECK(threads.wall_seconds > 0.9 * timeout);
  CHECK(threads.wall_seconds < well_below(10 * timeout));  // the timeouts one after another
}

TEST_CASE("a server that closes before answering: closed early") {
  test_support::ServerThread server(server_options(slow_server::Fault::close_early));
  auto run = run_sequential(test_support::client_options(server.port(), 2));
  CHECK(run.exit_code == 1);
  common::Address address = common::resolve_address("127.0.0.1", server.port());
  CHECK(all_failed_with(run, common::client_errors::closed_early(address)));
}

TEST_CASE("a connection reset halfway through the answer: recv fails") {
  test_support::ServerThread server(server_options(slow_server::Fault::reset));
  auto run = run_sequential(test_support::client_options(server.port(), 2));
  CHECK(run.exit_code == 1);
  CHECK(all_failed_with(run, "recv from 127.0.0.1:" + std::to_string(server.port())));
  CHECK(all_failed_with(run, "Connection reset by peer"));
}

TEST_CASE("an answer trickling in one byte at a time is put back together") {
  test_support::ServerThread server(server_options(slow_server::Fault::trickle));
  auto sequential = run_sequential(test_support::client_options(server.port(), 2));
  CHECK(sequential.exit_code == 0);
  CHECK(test_support::all_match_their_ids(sequential.results));
  auto threads = run_threads(test_support::client_options(server.port(), 5));
  CHECK(threads.exit_code == 0);
  CHECK(test_support::all_match_their_ids(threads.results));
}

TEST_CASE("an answer to another request fails the request, naming what came back") {
  test_support::FakeServer server("Response to Request 777");
  const std::string error = "answer for another request: \"Response to Request 777\"";
  for (bool threads : {false, true}) {
    CAPTURE(threads);
    auto options = test_support::client_options(server.port(), 3);
    auto run = threads ? run_threads(options) : run_sequential(options);
    CHECK(run.exit_code == 1);
    CHECK(all_failed_with(run, error));
    CHECK(run.err.find("failed: " + error) != std::string::npos);
  }
}
