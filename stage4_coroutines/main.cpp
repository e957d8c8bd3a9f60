// main.cpp: the stage4_coroutines binary: the shared client main, plus stage 4's flags.
// The lesson is in client.cpp; --trace-loop and --debug come from extras/.
#include <CLI/CLI.hpp>

#include "common/cli.hpp"
#include "common/client_main.hpp"
#include "stage4_coroutines/client.hpp"
#include "stage4_coroutines/extras/loop_trace.hpp"

int main(int argc, char** argv) {
  stage4::Flags flags;
  stage4::TraceOptions trace;
  auto add_options = [&](CLI::App& app) {
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
    app.add_flag("--debug", trace.debug, "Warn when a step runs over 100 ms without yielding");
    app.add_flag("--trace-loop", trace.trace, "One stderr line per step, wait, wake-up, select");
  };
  return common::client_main(
      argc, argv,
      {.name = "stage4_coroutines",
       .description = "Stage 4: C++20 native coroutines: co_await",
       .with_selector = true,
       .add_options = add_options,
       .run = [&](const common::ClientOptions& options, common::RunReport& report) {
         stage4::LoopTrace observer(trace);
         if (trace.trace || trace.debug) flags.observer = &observer;
         stage4::run(options, report, flags);
       }});
}
