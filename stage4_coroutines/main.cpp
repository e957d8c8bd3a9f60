// main.cpp: the stage4_coroutines binary: the shared client main, plus stage 4's flags.
// The lesson is in client.cpp.
#include <CLI/CLI.hpp>

#include "common/client_main.hpp"
#include "stage4_coroutines/client.hpp"

int main(int argc, char** argv) {
  stage4::Flags flags;
  return common::client_main(
      argc, argv,
      {.name = "stage4_coroutines",
       .description =
           "Stage 4: C++20 coroutines; co_await, and the compiler writes the state machine",
       .with_selector = true,
       .add_options =
           [&flags](CLI::App& app) {
             app.add_flag("--sequential", flags.sequential,
                          "Await each request before starting the next (the anti-pattern: "
                          "N x delay)");
             auto* blocking = app.add_option(
                 "--blocking-sleep", flags.blocking_sleep_seconds,
                 "Each request first blocks the thread this many seconds with "
                 "std::this_thread::sleep_for (the anti-pattern: it stalls every request)");
             blocking->check(CLI::NonNegativeNumber);
             app.add_option("--sleep", flags.sleep_seconds,
                            "Each request first co_awaits sleep() this many seconds (the "
                            "right way: the others run meanwhile)")
                 ->check(CLI::NonNegativeNumber)
                 ->excludes(blocking);
             app.add_flag("--debug", flags.debug,
                          "Warn on stderr when a step runs longer than 100 ms without yielding");
             app.add_flag(
                 "--trace-loop", flags.trace_loop,
                 "One stderr line per step, suspension, resolved future, select() wake-up");
           },
       .run = [&flags](const common::ClientOptions& options,
                       common::RunReport& report) { stage4::run(options, report, flags); }});
}
