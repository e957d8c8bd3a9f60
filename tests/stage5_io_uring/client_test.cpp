// client_test.cpp: stage 5's client against the contract every client keeps (the cases
// shared with stages 1 to 4; the selector cases do not apply: there is no selector), then
// --sequential, which is stage 4's flag on the ring.
#include "stage5_io_uring/client.hpp"
#include "tests/stage5_io_uring/io_uring_available.hpp"

namespace client_contract {
inline const std::string stage = "stage5_io_uring";
inline void run(const common::ClientOptions& options, common::RunReport& report) {
  stage5::run(options, report);
}
}  // namespace client_contract

TEST_SUITE_BEGIN("stage5" * stage5_test::unless_io_uring());

#define AIO_CONTRACT_WITHOUT_SELECTOR               // no --selector: the ring is the only wait
#include "tests/support/client_contract_tests.hpp"  // NOLINT: after the definitions above

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
