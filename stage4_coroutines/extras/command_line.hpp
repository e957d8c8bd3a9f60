// extras/command_line.hpp: stage 4's own flags, beside the shared client options: the
// anti-patterns (client.hpp's Flags, and anti_patterns.hpp's runs of their own) and the
// loop's trace (loop_trace.hpp).
#pragma once

#include "common/cli_fwd.hpp"
#include "stage4_coroutines/client.hpp"
#include "stage4_coroutines/extras/anti_patterns.hpp"
#include "stage4_coroutines/extras/loop_trace.hpp"

namespace stage4 {

struct CommandLine {
  Flags flags;
  TraceOptions trace;
  AntiPatterns anti_patterns;  // --nested-loop, --race, --lock: instead of stage4::run
};

void add_stage4_options(CLI::App& app, CommandLine& command_line);

// stage4::run (stage 5: stage5::run) with what the flags ask for (or --nested-loop's or
// --race's run, on stage 4's loop), a LoopTrace watching the loop if --trace-loop or --debug
// is on. --race writes its count on stderr.
using RunClient = void (*)(const common::ClientOptions&, common::RunReport&, const Flags&);
void run_with_flags(const common::ClientOptions& options, common::RunReport& report,
                    const CommandLine& command_line, RunClient run_client = run);

}  // namespace stage4
