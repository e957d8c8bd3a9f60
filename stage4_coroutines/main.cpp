// main.cpp: the stage4_coroutines binary: the shared client main, plus stage 4's flags
// (extras/command_line.cpp). The lesson is in client.cpp.
#include "common/client_main.hpp"
#include "stage4_coroutines/client.hpp"
#include "stage4_coroutines/extras/command_line.hpp"
#include "stage4_coroutines/extras/loop_trace.hpp"

int main(int argc, char** argv) {
  stage4::Flags flags;
  stage4::TraceOptions trace;
  return common::client_main(
      argc, argv,
      {.name = "stage4_coroutines",
       .description = "Stage 4: C++20 native coroutines: co_await",
       .with_selector = true,
       .add_options = [&](CLI::App& app) { stage4::add_stage4_options(app, flags, trace); },
       .run =
           [&](const common::ClientOptions& options, common::RunReport& report) {
             stage4::LoopTrace observer(trace);  // --trace-loop, --debug
             if (trace.trace || trace.debug) flags.observer = &observer;
             stage4::run(options, report, flags);
           }});
}
