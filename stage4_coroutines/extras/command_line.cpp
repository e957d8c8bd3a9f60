// extras/command_line.cpp: stage 4's own flags (command_line.hpp).
#include "stage4_coroutines/extras/command_line.hpp"

#include <CLI/CLI.hpp>

#include "common/cli.hpp"

namespace stage4 {

void add_stage4_options(CLI::App& app, CommandLine& command_line) {
  Flags& flags = command_line.flags;
  app.add_flag("--sequential", flags.sequential,
               "Await each request before the next (anti-pattern: N x delay)");
  auto* blocking = app.add_option("--blocking-sleep", flags.blocking_sleep_seconds,
                                  "Each request first blocks the thread this many seconds "
                                  "(anti-pattern: it stalls every request)");
  blocking->check(common::seconds_validator());
  app.add_option("--sleep", flags.sleep_seconds,
                 "Each request first co_awaits sleep() this many seconds (the others run)")
      ->check(common::seconds_validator())
      ->excludes(blocking);
  TraceOptions& trace = command_line.trace;
  app.add_flag("--debug", trace.debug, "Warn when a step runs over 100 ms without yielding");
  app.add_flag("--trace-loop", trace.trace, "One stderr line per step, wait, wake-up, select");
}

void run_with_flags(const common::ClientOptions& options, common::RunReport& report,
                    const CommandLine& command_line) {
  LoopTrace observer(command_line.trace);
  Flags flags = command_line.flags;  // a copy: it points at `observer`, which dies here
  if (command_line.trace.trace || command_line.trace.debug) flags.observer = &observer;
  run(options, report, flags);
}

}  // namespace stage4
