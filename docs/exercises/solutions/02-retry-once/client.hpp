// client.hpp: what the check of exercise 02 calls (docs/exercises/02-retry-once.md).
// You do not need to change this file: the work is in client.cpp.
#pragma once

#include "common/client_options.hpp"
#include "common/run_report.hpp"

namespace exercises {

// Stage 1's run(), where a request that fails is tried once more on a new connection
// (unless it ran out of time).
void run(const common::ClientOptions& options, common::RunReport& report);

}  // namespace exercises
