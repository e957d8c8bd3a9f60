// client_test.cpp: stage 1's client against the contract every client keeps.
#include <string>

#include "stage1_callbacks/client.hpp"

namespace client_contract {
inline const std::string stage = "stage1_callbacks";
inline void run(const common::ClientOptions& options, common::RunReport& report) {
  stage1::run(options, report);
}
}  // namespace client_contract

#include "tests/support/client_contract_tests.hpp"  // NOLINT: after the definitions above

TEST_CASE("--trace sees connect, send, wait and read in order" * test_support::timing) {
  client_contract::check_phases_marked();
}
