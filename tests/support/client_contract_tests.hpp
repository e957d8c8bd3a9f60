// client_contract_tests.hpp: the contract every selector-loop client keeps (its options,
// output, --json and exit codes: docs/00-overview.md), as doctest cases run against a real
// slow_server in this process. Stages 1 to 4 include it, so all are tested identically.
//
// The including file says which client to test, before the #include:
//   namespace client_contract {
//   inline const std::string stage = "stage1_callbacks";
//   inline void run(const common::ClientOptions& o, common::RunReport& r) { stage1::run(o, r); }
//   }  // namespace client_contract
//   #include "tests/support/client_contract_tests.hpp"
// A client without a selector (stage 5, on io_uring) first defines
// AIO_CONTRACT_WITHOUT_SELECTOR: the two cases about selector backends are left out.
//
// Delays are 0.2 s. Each wall-time bound is half of what the behaviour it rules out would
// cost (tests/support/timing.hpp): N requests one after another take N x delay, a request
// that an error did not end waits for its --timeout.
#pragma once

#include <doctest/doctest.h>

#include <cerrno>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/client_errors.hpp"
#include "common/net.hpp"
#include "common/selector.hpp"
#include "slow_server/server.hpp"
#include "tests/support/client_run.hpp"
#include "tests/support/fake_server.hpp"
#include "tests/support/open_file_limit.hpp"
#include "tests/support/server_thread.hpp"
#include "tests/support/timing.hpp"

namespace client_contract {

using test_support::well_below;

constexpr double delay = 0.2;

inline slow_server::ServerOptions server_options(
    slow_server::Fault fault = slow_server::Fault::none, std::size_t fault_every = 1) {
  slow_server::ServerOptions options;
  options.delay_seconds = delay;
  options.fault = fault;
  options.fault_every = fault_every;
  return options;
}

inline test_support::ClientRun run_stage(const common::ClientOptions& options) {
  return test_support::run_client(stage, options, run);
}

inline std::size_t count_ok(const std::vector<common::RequestResult>& results) {
  std::size_t ok = 0;
  for (const auto& result : results) ok += result.ok ? 1 : 0;
  return ok;
}

// Every request failed, each with exactly `error` (the report's "Request <id> failed: "
// prefix is not part of it).
inline void check_all_failed_with(const test_support::ClientRun& run, const std::string& error) {
  CHECK(run.exit_code == 1);
  REQUIRE_FALSE(run.results.empty());
  for (const auto& result : run.results) {
    CAPTURE(result.id);
    CHECK(result.finished);
    CHECK_FALSE(result.ok);
    CHECK(result.error == error);
  }
  CHECK(run.err.find("failed: " + error) != std::string::npos);
}

// For stages that mark the phases inside a request (RunReport::request_connected,
// request_sent, response_started), drawn by --trace: every mark is there, in order.
inline void check_phases_marked() {
  test_support::ServerThread server(server_options());
  auto run = run_stage(test_support::client_options(server.port(), 5));
  REQUIRE(run.exit_code == 0);
  for (const auto& result : run.results) {
    CAPTURE(result.id);
    CHECK(result.start <= result.connected);
    CHECK(result.connected <= result.sent);
    CHECK(result.sent + 0.9 * delay <= result.first_byte);  // the server's delay is the wait
    CHECK(result.first_byte <= result.end);
  }
}
}  // namespace client_contract

TEST_CASE("10 requests finish in about one delay, each answered for its own id" *
          test_support::timing) {
  using namespace client_contract;
  test_support::ServerThread server(server_options());
  auto run = run_stage(test_support::client_options(server.port(), 10));
  CHECK(run.exit_code == 0);
  CHECK(test_support::all_match_their_ids(run.results));
  CHECK(run.wall_seconds > 0.9 * delay);
  CHECK(run.wall_seconds < well_below(10 * delay));  // one after another
}

TEST_CASE("1,000 requests finish in about one delay" * test_support::timing) {
  using namespace client_contract;
  common::raise_open_file_limit();  // both ends are in this process: 2,000 descriptors
  test_support::ServerThread server(server_options());
  auto run = run_stage(test_support::client_options(server.port(), 1000));
  CHECK(run.exit_code == 0);
  CHECK(run.results.size() == 1000);
  CHECK(test_support::all_match_their_ids(run.results));
  // Ruled out: a client that keeps at most 50 in flight (20 waves of one delay).
  CHECK(run.wall_seconds < well_below(1000 / 50 * delay));
}

#ifndef AIO_CONTRACT_WITHOUT_SELECTOR  // stage 5 has no selector to choose
TEST_CASE("every selector backend runs the client, the requests at once" * test_support::timing) {
  using namespace client_contract;
  for (auto kind :
       {common::SelectorKind::epoll, common::SelectorKind::poll, common::SelectorKind::select}) {
    if (!common::selector_available(kind)) continue;
    CAPTURE(common::to_string(kind));
    test_support::ServerThread server(server_options());
    auto options = test_support::client_options(server.port(), 10);
    options.selector = kind;
    auto run = run_stage(options);
    CHECK(run.exit_code == 0);
    CHECK(test_support::all_match_their_ids(run.results));
    CHECK(run.wall_seconds < well_below(10 * delay));  // one after another
  }
}

#endif

TEST_CASE("a server that is not listening: every request fails with connection refused" *
          test_support::timing) {
  using namespace client_contract;
  auto options = test_support::client_options(test_support::unused_port(), 5);
  auto run = run_stage(options);
  check_all_failed_with(run,
                        common::client_errors::connect_failed(options.address(), ECONNREFUSED));
  CHECK(run.wall_seconds < well_below(options.timeout_seconds));  // refused, not timed out
}

TEST_CASE("a server that closes before answering: the request fails, naming it" *
          test_support::timing) {
  using namespace client_contract;
  test_support::ServerThread server(server_options(slow_server::Fault::close_early));
  auto options = test_support::client_options(server.port(), 3);
  auto run = run_stage(options);
  check_all_failed_with(run, common::client_errors::closed_early(options.address()));
  CHECK(run.wall_seconds < well_below(options.timeout_seconds));  // the close ended it
}

TEST_CASE("a server that resets the connection mid-answer: the request fails, naming it" *
          test_support::timing) {
  using namespace client_contract;
  test_support::ServerThread server(server_options(slow_server::Fault::reset));
  auto options = test_support::client_options(server.port(), 3);
  auto run = run_stage(options);
  check_all_failed_with(run, common::client_errors::recv_failed(options.address(), ECONNRESET));
  CHECK(run.wall_seconds < well_below(options.timeout_seconds));  // the reset ended it
}

TEST_CASE("a server that stalls: --timeout ends each request, naming it, all at once" *
          test_support::timing) {
  using namespace client_contract;
  test_support::ServerThread server(server_options(slow_server::Fault::stall));
  const double timeout = 0.3;
  auto options = test_support::client_options(server.port(), 10, timeout);
  auto run = run_stage(options);
  check_all_failed_with(run, common::client_errors::timed_out(timeout));
  CHECK(run.wall_seconds > timeout);
  CHECK(run.wall_seconds < well_below(10 * timeout));  // the timeouts one after another
}

TEST_CASE("with a fault on every second connection, the other requests still succeed" *
          test_support::timing) {
  using namespace client_contract;
  test_support::ServerThread server(server_options(slow_server::Fault::close_early, 2));
  auto options = test_support::client_options(server.port(), 20);
  auto run = run_stage(options);
  CHECK(run.exit_code == 1);
  CHECK(count_ok(run.results) == 10);
  for (const auto& result : run.results) {
    CAPTURE(result.id);
    CHECK(result.finished);
    if (result.ok) {
      CHECK(result.response ==
            common::protocol::response_text(common::protocol::request_text(result.id)));
    } else {
      CHECK(result.error == common::client_errors::closed_early(options.address()));
    }
  }
  CHECK(run.wall_seconds < well_below(10 * delay));  // the 10 answers one after another
}

TEST_CASE("an answer that arrives one byte at a time is reassembled" * test_support::timing) {
  using namespace client_contract;
  test_support::ServerThread server(server_options(slow_server::Fault::trickle));
  auto run = run_stage(test_support::client_options(server.port(), 10));
  CHECK(run.exit_code == 0);
  CHECK(test_support::all_match_their_ids(run.results));
  CHECK(run.wall_seconds < well_below(10 * delay));  // one after another
}

TEST_CASE("an answer to another request fails the request, naming what came back") {
  using namespace client_contract;
  test_support::FakeServer server("Response to Request 777");
  auto run = run_stage(test_support::client_options(server.port(), 3));
  check_all_failed_with(run, "answer for another request: \"Response to Request 777\"");
}

TEST_CASE("an answer with terminal escapes and bytes past ASCII is shown escaped, never raw") {
  using namespace client_contract;
  test_support::FakeServer server("\x1b[31mred\x07\xff\xfe");
  auto run = run_stage(test_support::client_options(server.port(), 2));
  check_all_failed_with(run, "not an answer: \"\\x1b[31mred\\x07\\xff\\xfe\"");
  CHECK(run.err.find('\x1b') == std::string::npos);  // nothing for the terminal to obey
}

#ifndef AIO_CONTRACT_WITHOUT_SELECTOR
TEST_CASE("select with more sockets than FD_SETSIZE stops the run, naming the limit, and reports") {
  using namespace client_contract;
  // So that FD_SETSIZE, not the soft limit of open files (often 1,024), is the limit hit:
  // 1,100 requests need 1,100 sockets here, and as many in the server.
  test_support::RaisedOpenFileLimit open_files;
  REQUIRE_MESSAGE(open_files.allows(2 * 1100 + 64), open_files.why_not(2 * 1100 + 64));
  test_support::ServerThread server(server_options());
  auto options = test_support::client_options(server.port(), 1100);
  options.selector = common::SelectorKind::select;
  auto run = run_stage(options);
  CHECK(run.exit_code == 1);
  CHECK(run.err.find(stage + ": error: ") != std::string::npos);
  CHECK(run.err.find("FD_SETSIZE") != std::string::npos);
  // The report is still printed and every request ended: answered, or failed naming the
  // limit (its own error, or "run stopped: ..." for those the stop cut short; stage 4
  // fails each request itself and need not stop early at all).
  CHECK(run.out.find("/1100 responses in") != std::string::npos);
  for (const auto& result : run.results) {
    CAPTURE(result.id);
    CHECK(result.finished);
    if (!result.ok) CHECK(result.error.find("FD_SETSIZE") != std::string::npos);
  }
}
#endif
