// client_contract_test.cpp: the contract every selector-loop client keeps (its options,
// output, --json and exit codes: docs/00-overview.md), against a real slow_server in this
// process. Each case is a template over the stages (doctest's TEST_CASE_TEMPLATE_DEFINE,
// applied to the list below), so every stage runs exactly the same checks; ctest names a
// case with its stage at the end: "1,000 requests finish in about one delay<stage3_generators>".
#include <doctest/doctest.h>

#include <cerrno>
#include <string>
#include <tuple>

#include "common/client_errors.hpp"
#include "common/net.hpp"
#include "common/selector.hpp"
#include "stage1_callbacks/client.hpp"
#include "stage2_state_machine/client.hpp"
#include "stage3_generators/client.hpp"
#include "stage4_coroutines/client.hpp"
#include "tests/support/client_contract.hpp"
#include "tests/support/fake_server.hpp"
#include "tests/support/open_file_limit.hpp"
#include "tests/support/server_thread.hpp"
#include "tests/support/timing.hpp"

namespace {

// One type per stage: the name it reports (and ctest shows) and how to run its client.
struct Stage1Client {
  static constexpr const char* name = "stage1_callbacks";
  static void run(const common::ClientOptions& o, common::RunReport& r) { stage1::run(o, r); }
};
struct Stage2Client {
  static constexpr const char* name = "stage2_state_machine";
  static void run(const common::ClientOptions& o, common::RunReport& r) { stage2::run(o, r); }
};
struct Stage3Client {
  static constexpr const char* name = "stage3_generators";
  static void run(const common::ClientOptions& o, common::RunReport& r) { stage3::run(o, r); }
};
struct Stage4Client {
  static constexpr const char* name = "stage4_coroutines";
  static void run(const common::ClientOptions& o, common::RunReport& r) { stage4::run(o, r); }
};

// The stages under the contract. A new stage: its type above, its name for ctest below
// (TYPE_TO_STRING_AS), one word here, and its library in CMakeLists.txt.
using Clients = std::tuple<Stage1Client, Stage2Client, Stage3Client, Stage4Client>;
// Those whose client marks the phases inside a request (RunReport::request_connected,
// request_sent, response_started), which --trace draws.
using ClientsThatMarkPhases = std::tuple<Stage1Client, Stage2Client>;

using client_contract::check_all_failed_with;
using client_contract::count_ok;
using client_contract::delay;
using client_contract::run_stage;
using client_contract::server_options;
using test_support::well_below;

}  // namespace

// What ctest shows after a case's name.
TYPE_TO_STRING_AS("stage1_callbacks", Stage1Client);
TYPE_TO_STRING_AS("stage2_state_machine", Stage2Client);
TYPE_TO_STRING_AS("stage3_generators", Stage3Client);
TYPE_TO_STRING_AS("stage4_coroutines", Stage4Client);

TEST_CASE_TEMPLATE_DEFINE("10 requests finish in about one delay, each answered for its own id" *
                              test_support::timing,
                          Client, ten_requests) {
  test_support::ServerThread server(server_options());
  auto run = run_stage<Client>(test_support::client_options(server.port(), 10));
  CHECK(run.exit_code == 0);
  CHECK(test_support::all_match_their_ids(run.results));
  CHECK(run.wall_seconds > 0.9 * delay);
  CHECK(run.wall_seconds < well_below(10 * delay));  // one after another
}
TEST_CASE_TEMPLATE_APPLY(ten_requests, Clients);

TEST_CASE_TEMPLATE_DEFINE("1,000 requests finish in about one delay" * test_support::timing, Client,
                          thousand_requests) {
  common::raise_open_file_limit();  // both ends are in this process: 2,000 descriptors
  test_support::ServerThread server(server_options());
  auto run = run_stage<Client>(test_support::client_options(server.port(), 1000));
  CHECK(run.exit_code == 0);
  CHECK(run.results.size() == 1000);
  CHECK(test_support::all_match_their_ids(run.results));
  // Ruled out: a client that keeps at most 50 in flight (20 waves of one delay).
  CHECK(run.wall_seconds < well_below(1000 / 50 * delay));
}
TEST_CASE_TEMPLATE_APPLY(thousand_requests, Clients);

TEST_CASE_TEMPLATE_DEFINE("every selector backend runs the client, the requests at once" *
                              test_support::timing,
                          Client, every_backend) {
  for (auto kind :
       {common::SelectorKind::epoll, common::SelectorKind::poll, common::SelectorKind::select}) {
    if (!common::selector_available(kind)) continue;
    CAPTURE(common::to_string(kind));
    test_support::ServerThread server(server_options());
    auto options = test_support::client_options(server.port(), 10);
    options.selector = kind;
    auto run = run_stage<Client>(options);
    CHECK(run.exit_code == 0);
    CHECK(test_support::all_match_their_ids(run.results));
    CHECK(run.wall_seconds < well_below(10 * delay));  // one after another
  }
}
TEST_CASE_TEMPLATE_APPLY(every_backend, Clients);

TEST_CASE_TEMPLATE_DEFINE(
    "a server that is not listening: every request fails with connection refused" *
        test_support::timing,
    Client, refused) {
  auto options = test_support::client_options(test_support::unused_port(), 5);
  auto run = run_stage<Client>(options);
  check_all_failed_with(run,
                        common::client_errors::connect_failed(options.address(), ECONNREFUSED));
  CHECK(run.wall_seconds < well_below(options.timeout_seconds));  // refused, not timed out
}
TEST_CASE_TEMPLATE_APPLY(refused, Clients);

TEST_CASE_TEMPLATE_DEFINE("a server that closes before answering: the request fails, naming it" *
                              test_support::timing,
                          Client, closed_early) {
  test_support::ServerThread server(server_options(slow_server::Fault::close_early));
  auto options = test_support::client_options(server.port(), 3);
  auto run = run_stage<Client>(options);
  check_all_failed_with(run, common::client_errors::closed_early(options.address()));
  CHECK(run.wall_seconds < well_below(options.timeout_seconds));  // the close ended it
}
TEST_CASE_TEMPLATE_APPLY(closed_early, Clients);

TEST_CASE_TEMPLATE_DEFINE(
    "a server that resets the connection mid-answer: the request fails, naming it" *
        test_support::timing,
    Client, reset) {
  test_support::ServerThread server(server_options(slow_server::Fault::reset));
  auto options = test_support::client_options(server.port(), 3);
  auto run = run_stage<Client>(options);
  check_all_failed_with(run, common::client_errors::recv_failed(options.address(), ECONNRESET));
  CHECK(run.wall_seconds < well_below(options.timeout_seconds));  // the reset ended it
}
TEST_CASE_TEMPLATE_APPLY(reset, Clients);

TEST_CASE_TEMPLATE_DEFINE(
    "a server that stalls: --timeout ends each request, naming it, all at once" *
        test_support::timing,
    Client, stall) {
  test_support::ServerThread server(server_options(slow_server::Fault::stall));
  const double timeout = 0.3;
  auto options = test_support::client_options(server.port(), 10, timeout);
  auto run = run_stage<Client>(options);
  check_all_failed_with(run, common::client_errors::timed_out(timeout));
  CHECK(run.wall_seconds > timeout);
  CHECK(run.wall_seconds < well_below(10 * timeout));  // the timeouts one after another
}
TEST_CASE_TEMPLATE_APPLY(stall, Clients);

TEST_CASE_TEMPLATE_DEFINE(
    "with a fault on every second connection, the other requests still succeed" *
        test_support::timing,
    Client, fault_every_second) {
  test_support::ServerThread server(server_options(slow_server::Fault::close_early, 2));
  auto options = test_support::client_options(server.port(), 20);
  auto run = run_stage<Client>(options);
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
TEST_CASE_TEMPLATE_APPLY(fault_every_second, Clients);

TEST_CASE_TEMPLATE_DEFINE("an answer that arrives one byte at a time is reassembled" *
                              test_support::timing,
                          Client, trickle) {
  test_support::ServerThread server(server_options(slow_server::Fault::trickle));
  auto run = run_stage<Client>(test_support::client_options(server.port(), 10));
  CHECK(run.exit_code == 0);
  CHECK(test_support::all_match_their_ids(run.results));
  CHECK(run.wall_seconds < well_below(10 * delay));  // one after another
}
TEST_CASE_TEMPLATE_APPLY(trickle, Clients);

TEST_CASE_TEMPLATE_DEFINE("an answer to another request fails the request, naming what came back",
                          Client, wrong_answer) {
  test_support::FakeServer server("Response to Request 777");
  auto run = run_stage<Client>(test_support::client_options(server.port(), 3));
  check_all_failed_with(run, "answer for another request: \"Response to Request 777\"");
}
TEST_CASE_TEMPLATE_APPLY(wrong_answer, Clients);

TEST_CASE_TEMPLATE_DEFINE(
    "an answer with terminal escapes and bytes past ASCII is shown escaped, never raw", Client,
    escaped) {
  test_support::FakeServer server("\x1b[31mred\x07\xff\xfe");
  auto run = run_stage<Client>(test_support::client_options(server.port(), 2));
  check_all_failed_with(run, "not an answer: \"\\x1b[31mred\\x07\\xff\\xfe\"");
  CHECK(run.err.find('\x1b') == std::string::npos);  // nothing for the terminal to obey
}
TEST_CASE_TEMPLATE_APPLY(escaped, Clients);

TEST_CASE_TEMPLATE_DEFINE(
    "select with more sockets than FD_SETSIZE stops the run, naming the limit, and reports", Client,
    select_limit) {
  // So that FD_SETSIZE, not the soft limit of open files (often 1,024), is the limit hit:
  // 1,100 requests need 1,100 sockets here, and as many in the server.
  test_support::RaisedOpenFileLimit open_files;
  REQUIRE_MESSAGE(open_files.allows(2 * 1100 + 64), open_files.why_not(2 * 1100 + 64));
  test_support::ServerThread server(server_options());
  auto options = test_support::client_options(server.port(), 1100);
  options.selector = common::SelectorKind::select;
  auto run = run_stage<Client>(options);
  CHECK(run.exit_code == 1);
  CHECK(run.err.find(std::string(Client::name) + ": error: ") != std::string::npos);
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
TEST_CASE_TEMPLATE_APPLY(select_limit, Clients);

TEST_CASE_TEMPLATE_DEFINE("--trace sees connect, send, wait and read in order" *
                              test_support::timing,
                          Client, phases_marked) {
  test_support::ServerThread server(server_options());
  auto run = run_stage<Client>(test_support::client_options(server.port(), 5));
  REQUIRE(run.exit_code == 0);
  for (const auto& result : run.results) {
    CAPTURE(result.id);
    CHECK(result.start <= result.connected);
    CHECK(result.connected <= result.sent);
    CHECK(result.sent + 0.9 * delay <= result.first_byte);  // the server's delay is the wait
    CHECK(result.first_byte <= result.end);
  }
}
TEST_CASE_TEMPLATE_APPLY(phases_marked, ClientsThatMarkPhases);
