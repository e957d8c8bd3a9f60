// client_contract.hpp: what the tests of the client contract share (docs/00-overview.md:
// options, output, --json, exit codes): a real slow_server in this process with 0.2 s
// delays, a way to run one stage's client in-process, and the checks every failure case
// makes. The cases themselves are tests/client_contract/client_contract_test.cpp; a
// stage's own tests (tests/stage3_generators, tests/stage4_coroutines) use these too.
//
// A Client type names one stage and runs it:
//   struct Stage1Client {
//     static constexpr const char* name = "stage1_callbacks";
//     static void run(const common::ClientOptions& o, common::RunReport& r) { stage1::run(o, r); }
//   };
//
// Each wall-time bound is half of what the behaviour it rules out would cost
// (tests/support/timing.hpp): N requests one after another take N x delay, a request that
// an error did not end waits for its --timeout.
#pragma once

#include <doctest/doctest.h>

#include <cstddef>
#include <string>
#include <vector>

#include "slow_server/server.hpp"
#include "tests/support/client_run.hpp"
#include "tests/support/server_thread.hpp"

namespace client_contract {

constexpr double delay = 0.2;

inline slow_server::ServerOptions server_options(
    slow_server::Fault fault = slow_server::Fault::none, std::size_t fault_every = 1) {
  return test_support::server_options(delay, fault, fault_every);
}

// Runs the stage that `Client` names, in this process, as its binary would.
template <typename Client>
test_support::ClientRun run_stage(const common::ClientOptions& options) {
  return test_support::run_client(Client::name, options, Client::run);
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

}  // namespace client_contract
