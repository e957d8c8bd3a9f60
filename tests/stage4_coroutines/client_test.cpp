// client_test.cpp: what is stage 4's client's own, beyond the contract every client keeps
// (tests/client_contract): 5,000 requests at once, and the anti-patterns --sequential and
// --blocking-sleep, with --debug naming the guilty task.
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "common/net.hpp"

#include "stage4_coroutines/client.hpp"
#include "stage4_coroutines/extras/loop_trace.hpp"
#include "tests/support/client_contract.hpp"
#include "tests/support/server_thread.hpp"
#include "tests/support/timing.hpp"

namespace {

using client_contract::delay;
using test_support::well_below;

test_support::ClientRun run_with(const common::ClientOptions& options, const stage4::Flags& flags) {
  return test_support::run_client(
      "stage4_coroutines", options,
      [&flags](const common::ClientOptions& o, common::RunReport& r) { stage4::run(o, r, flags); });
}

}  // namespace

TEST_CASE("5,000 requests finish in about one delay, each answered for its own id" *
          test_support::timing) {
  common::raise_open_file_limit();  // both ends are in this process: 10,000 descriptors
  test_support::ServerThread server(client_contract::server_options());
  auto run = run_with(test_support::client_options(server.port(), 5000), {});
  CHECK(run.exit_code == 0);
  CHECK(run.results.size() == 5000);
  CHECK(test_support::all_match_their_ids(run.results));
  // Ruled out: a client that keeps at most 50 in flight (100 waves of one delay).
  CHECK(run.wall_seconds < well_below(5000 / 50 * delay));
}

TEST_CASE("--sequential awaits one request after another: N x delay" * test_support::timing) {
  test_support::ServerThread server(client_contract::server_options());
  stage4::Flags flags;
  flags.sequential = true;
  auto run = run_with(test_support::client_options(server.port(), 5), flags);
  CHECK(run.exit_code == 0);
  CHECK(test_support::all_match_their_ids(run.results));
  // Each waited for the one before (no upper bound: a busy machine only adds time).
  CHECK(run.wall_seconds > 0.9 * 5 * delay);
}

TEST_CASE("--sleep pauses every request at once, --blocking-sleep stalls them one by one" *
          test_support::timing) {
  test_support::ServerThread server(client_contract::server_options());
  constexpr int n = 20;  // 2 s of pauses one by one: room to tell them from 0.1 s at once
  auto options = test_support::client_options(server.port(), n);
  constexpr double pause = 0.1;

  stage4::Flags polite;
  polite.sleep_seconds = pause;
  auto together = run_with(options, polite);
  CHECK(together.exit_code == 0);
  CHECK(test_support::all_match_their_ids(together.results));
  CHECK(together.wall_seconds < well_below(n * pause + delay));  // the pauses one by one

  std::ostringstream log;
  stage4::Flags blocking;
  blocking.blocking_sleep_seconds = pause;
  stage4::LoopTrace debug({.debug = true, .log = &log});
  blocking.observer = &debug;
  auto stalled = run_with(options, blocking);
  CHECK(stalled.exit_code == 0);
  CHECK(test_support::all_match_their_ids(stalled.results));
  CHECK(stalled.wall_seconds > 0.9 * (n * pause + delay));  // the pauses added up
  // --debug names each task that held the loop (100 ms threshold; the pause is 100 ms,
  // so at least most of them cross it).
  CHECK(log.str().find("EventLoop: report ") != std::string::npos);
  CHECK(log.str().find("without yielding") != std::string::npos);
}

TEST_CASE("--trace-loop shows the steps and suspensions of each request") {
  test_support::ServerThread server(client_contract::server_options());
  std::ostringstream log;
  stage4::LoopTrace trace_loop({.trace = true, .log = &log});
  stage4::Flags flags;
  flags.observer = &trace_loop;
  auto run = run_with(test_support::client_options(server.port(), 2), flags);
  CHECK(run.exit_code == 0);
  std::string trace = log.str();
  CHECK(trace.find("] step     report 1\n") != std::string::npos);  // stage 3's names
  CHECK(trace.find("] step     request 1\n") != std::string::npos);
  CHECK(trace.find("] await    request 0 waits for fd ") != std::string::npos);
  CHECK(trace.find("] select   woke after ") != std::string::npos);
  CHECK(trace.find("] return   request 0 is done\n") != std::string::npos);
  CHECK(trace.find("] return   report 0 is done\n") != std::string::npos);
}
