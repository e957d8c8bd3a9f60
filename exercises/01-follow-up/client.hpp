// client.hpp: what the check of exercise 01 calls (docs/exercises/01-follow-up.md).
// You do not need to change this file: the work is in client.cpp.
#pragma once

#include <string>

#include "common/client_options.hpp"
#include "common/protocol.hpp"
#include "common/run_report.hpp"

namespace exercises {

// "Request 7 again": the follow-up request, sent on the same connection once the answer
// to "Request 7" has arrived. The server answers it "Response to Request 7 again".
inline std::string follow_up_text(int id) {
  return common::protocol::request_text(id) + " again";
}

// Stage 1's run(), with the follow-up: every request is two exchanges on one connection,
// and what the report gets is the answer to the second.
void run(const common::ClientOptions& options, common::RunReport& report);

}  // namespace exercises
