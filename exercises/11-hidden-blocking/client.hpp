// client.hpp: what the check of exercise 11 calls (docs/exercises/11-hidden-blocking.md).
// You do not need to change this file: the work is in client.cpp.
#pragma once

#include "common/client_options.hpp"
#include "common/run_report.hpp"
#include "stage4_coroutines/event_loop.hpp"

namespace exercises {

// Stage 4's run(): every request at once on one loop, each reported. `observer` watches
// the loop (nullptr: nothing does); the check passes stage 4's --debug observer
// (stage4_coroutines/extras/loop_trace.hpp), which reports every step that blocks it.
void run(const common::ClientOptions& options, common::RunReport& report,
         stage4::LoopObserver* observer = nullptr);

}  // namespace exercises
