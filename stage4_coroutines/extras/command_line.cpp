// extras/command_line.cpp: stage 4's own flags (command_line.hpp).
#include "stage4_coroutines/extras/command_line.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

#include "common/cli.hpp"

namespace stage4 {

void add_stage4_options(CLI::App& app, CommandLine& command_line) {
  Flags& flags = command_line.flags;
  auto* sequential = app.add_flag("--sequential", flags.sequential,
                                  "Await each request before the next (anti-pattern: N x delay)");
  auto* blocking = app.add_option("--blocking-sleep", flags.blocking_sleep_seconds,
                                  "Each request first blocks the thread this many seconds "
                                  "(anti-pattern: it stalls every request)");
  blocking->check(common::seconds_validator());
  auto* sleep =
      app.add_option("--sleep", flags.sleep_seconds,
                     "Each request first co_awaits sleep() this many seconds (the others run)")
          ->check(common::seconds_validator())
          ->excludes(blocking);
  AntiPatterns& anti = command_line.anti_patterns;  // runs of their own: no client flag
  auto* nested = app.add_flag("--nested-loop", anti.nested_loop,
                              "Each request runs on a loop of its own, inside a coroutine "
                              "(anti-pattern: refused with an error)");
  auto* race = app.add_flag("--race", anti.race,
                            "Each answer is counted by a check-then-act across a co_await "
                            "(anti-pattern: updates are lost)");
  app.add_flag("--lock", anti.lock, "With --race: count under a Lock (no update lost)")
      ->needs(race);
  for (CLI::Option* own : {nested, race})
    own->excludes(sequential)->excludes(blocking)->excludes(sleep);
  nested->excludes(race);
  TraceOptions& trace = command_line.trace;
  app.add_flag("--debug", trace.debug, "Warn when a step runs over 100 ms without yielding");
  app.add_flag("--trace-loop", trace.trace, "One stderr line per step, wait, wake-up, select");
}

void run_with_flags(const common::ClientOptions& options, common::RunReport& report,
                    const CommandLine& command_line, RunClient run_client) {
  LoopTrace observer(command_line.trace);
  Flags flags = command_line.flags;  // a copy: it points at `observer`, which dies here
  if (command_line.trace.trace || command_line.trace.debug) flags.observer = &observer;
  const AntiPatterns& anti = command_line.anti_patterns;
  if (anti.nested_loop) return run_nested_loops(options, report, flags.observer);
  if (anti.race) {
    run_race(options, report, anti.lock, std::cerr, flags.observer);
    return;
  }
  run_client(options, report, flags);
}

}  // namespace stage4
