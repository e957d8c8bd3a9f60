// client_contract_test.cpp: stages 1 to 4 against the contract every client keeps
// (tests/support/client_contract.hpp): each case applied to the list below, so every stage
// runs exactly the same checks; ctest names a case with its stage at the end:
// "1,000 requests finish in about one delay<stage3_generators>".
#include <doctest/doctest.h>

#include <tuple>

#include "stage1_callbacks/client.hpp"
#include "stage2_state_machine/client.hpp"
#include "stage3_generators/client.hpp"
#include "stage4_coroutines/client.hpp"
#include "tests/support/client_contract.hpp"

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

}  // namespace

// What ctest shows after a case's name.
TYPE_TO_STRING_AS("stage1_callbacks", Stage1Client);
TYPE_TO_STRING_AS("stage2_state_machine", Stage2Client);
TYPE_TO_STRING_AS("stage3_generators", Stage3Client);
TYPE_TO_STRING_AS("stage4_coroutines", Stage4Client);

TEST_CASE_TEMPLATE_APPLY(ten_requests, Clients);
TEST_CASE_TEMPLATE_APPLY(thousand_requests, Clients);
TEST_CASE_TEMPLATE_APPLY(every_backend, Clients);
TEST_CASE_TEMPLATE_APPLY(refused, Clients);
TEST_CASE_TEMPLATE_APPLY(closed_early, Clients);
TEST_CASE_TEMPLATE_APPLY(reset, Clients);
TEST_CASE_TEMPLATE_APPLY(stall, Clients);
TEST_CASE_TEMPLATE_APPLY(fault_every_second, Clients);
TEST_CASE_TEMPLATE_APPLY(trickle, Clients);
TEST_CASE_TEMPLATE_APPLY(wrong_answer, Clients);
TEST_CASE_TEMPLATE_APPLY(escaped, Clients);
TEST_CASE_TEMPLATE_APPLY(select_limit, Clients);
TEST_CASE_TEMPLATE_APPLY(phases_marked, ClientsThatMarkPhases);
