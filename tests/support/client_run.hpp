// client_run.hpp: run a client stage in-process, as client_main does, and look at what it did.
//
//   auto run = test_support::run_client("stage1_callbacks", options, stage1::run);
//   CHECK(run.exit_code == 0);
//   CHECK(test_support::all_match_their_ids(run.results));
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "common/client_main.hpp"
#include "common/client_options.hpp"
#include "common/protocol.hpp"
#include "common/run_report.hpp"

namespace test_support {

struct ClientRun {
  int exit_code = -1;
  double wall_seconds = 0;
  std::vector<common::RequestResult> results;
  std::string out, err;
};

// Options for `requests` requests to 127.0.0.1:port, quiet, with the given timeout.
inline common::ClientOptions client_options(std::uint16_t port, int requests,
                                            double timeout_seconds = 10) {
  common::ClientOptions options;
  options.port = port;
  options.requests = requests;
  options.timeout_seconds = timeout_seconds;
  options.quiet = true;
  return options;
}

template <typename Run>
ClientRun run_client(const std::string& stage, const common::ClientOptions& options, Run&& run) {
  std::ostringstream out, err;
  common::RunReport report(stage, options, out, err);
  ClientRun result;
  // As client_main runs a stage: an exception out of `run` still ends in a report.
  result.exit_code = common::run_to_the_end(stage, run, options, report, err);
  result.wall_seconds = report.wall_seconds();
  result.results = report.results();
  result.out = out.str();
  result.err = err.str();
  return result;
}

// Every request succeeded and its answer names its own id.
inline bool all_match_their_ids(const std::vector<common::RequestResult>& results) {
  for (const auto& result : results) {
    if (!result.ok) return false;
    if (result.response !=
        common::protocol::response_text(common::protocol::request_text(result.id)))
      return false;
  }
  return !results.empty();
}

}  // namespace test_support
