// client.hpp: stage 3's client, one linear generator per request (client.cpp).
#pragma once
#include "common/client_options.hpp"
#include "common/run_report.hpp"
#include "stage3_generators/event_loop.hpp"

namespace stage3 {
// Every request at once; errors go to `report`, except one no request caused (FD_SETSIZE).
void run(const common::ClientOptions& options, common::RunReport& report,
         LoopObserver* observer = nullptr);  // --trace-loop (extras/trace.hpp), or none
}  // namespace stage3
