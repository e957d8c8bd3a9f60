// client.hpp: what the check of exercise 03 calls (docs/exercises/03-connect-timeout.md).
// You do not need to change this file: the work is in client.cpp.
#pragma once

#include <string>

#include "common/client_errors.hpp"
#include "common/client_options.hpp"
#include "common/net.hpp"
#include "common/run_report.hpp"

namespace exercises {

// What a request that could not connect in time fails with:
// "connect to 127.0.0.1:8080: timed out after 0.1 s".
inline std::string connect_timed_out(const common::Address& address, double seconds) {
  return "connect to " + address.to_string() + ": " + common::client_errors::timed_out(seconds);
}

// Stage 2's run(), where a request must also be connected within connect_timeout_seconds
// of its start; --timeout (options.timeout_seconds) still limits the whole request.
void run(const common::ClientOptions& options, common::RunReport& report,
         double connect_timeout_seconds);

}  // namespace exercises
