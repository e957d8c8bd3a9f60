// extras/command_line.hpp: stage 4's own flags, beside the shared client options: the
// anti-patterns (client.hpp's Flags) and the loop's trace (loop_trace.hpp).
#pragma once

#include "common/cli_fwd.hpp"

#include "stage4_coroutines/client.hpp"
#include "stage4_coroutines/extras/loop_trace.hpp"

namespace stage4 {

void add_stage4_options(CLI::App& app, Flags& flags, TraceOptions& trace);

}  // namespace stage4
