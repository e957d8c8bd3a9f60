// client_test.cpp: stage 2's client against the contract stage 1 keeps, the same tests.
#include <string>

#include "stage2_state_machine/client.hpp"

namespace client_contract {
inline const std::string stage = "stage2_state_machine";
inline void run(const common::ClientOptions& options, common::RunReport& report) {
  stage2::run(options, report);
}
}  // namespace client_contract

#include "tests/support/client_contract_tests.hpp"  // NOLINT: after the definitions above

TEST_CASE("--trace sees connect, send, wait and read in order" * test_support::timing) {
  client_contract::check_phases_marked();
}
