// client_test.cpp: stage 5's client against the contract every client keeps
// (tests/support/client_contract.hpp; the selector cases do not apply: there is no
// selector, the ring is the only wait), then --sequential, which is stage 4's flag on the
// ring.
#include <tuple>

#include "stage5_io_uring/client.hpp"
#include "tests/stage5_io_uring/io_uring_available.hpp"
#include "tests/support/client_contract.hpp"

namespace {

struct Stage5Client {
  static constexpr const char* name = "stage5_io_uring";
  static void run(const common::ClientOptions& o, common::RunReport& r) { stage5::run(o, r); }
};
using Stage5 = std::tuple<Stage5Client>;

}  // namespace

TYPE_TO_STRING_AS("stage5_io_uring", Stage5Client);  // what ctest shows after a case's name

TEST_SUITE_BEGIN("stage5" * stage5_test::unless_io_uring());

TEST_CASE_TEMPLATE_APPLY(ten_requests, Stage5);
TEST_CASE_TEMPLATE_APPLY(thousand_requests, Stage5);
TEST_CASE_TEMPLATE_APPLY(refused, Stage5);
TEST_CASE_TEMPLATE_APPLY(closed_early, Stage5);
TEST_CASE_TEMPLATE_APPLY(reset, Stage5);
TEST_CASE_TEMPLATE_APPLY(stall, Stage5);
TEST_CASE_TEMPLATE_APPLY(fault_every_second, Stage5);
TEST_CASE_TEMPLATE_APPLY(trickle, Stage5);
TEST_CASE_TEMPLATE_APPLY(wrong_answer, Stage5);
TEST_CASE_TEMPLATE_APPLY(escaped, Stage5);

TEST_CASE("--sequential awaits one request after another: N x delay" * test_support::timing) {
  using client_contract::delay;
  test_support::ServerThread server(client_contract::server_options());
  stage5::Flags flags;
  flags.sequential = true;
  auto run = test_support::run_client(
      "stage5_io_uring", test_support::client_options(server.port(), 5),
      [&flags](const common::ClientOptions& o, common::RunReport& r) { stage5::run(o, r, flags); });
  CHECK(run.exit_code == 0);
  CHECK(test_support::all_match_their_ids(run.results));
  CHECK(run.wall_seconds > 0.9 * 5 * delay);  // each waited for the one before
}

TEST_SUITE_END();
