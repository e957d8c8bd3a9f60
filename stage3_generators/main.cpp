// main.cpp: the stage3_generators binary; the lesson is in client.cpp, --trace-loop in extras/.
#include "common/client_main.hpp"
#include "stage3_generators/client.hpp"
#include "stage3_generators/extras/trace.hpp"

int main(int argc, char** argv) {
  stage3::extras::TraceLoopOption trace_loop;
  return common::client_main(
      argc, argv,
      {.name = "stage3_generators",
       .description = "Stage 3: hand-rolled generators, futures, tasks and an event loop",
       .with_selector = true,
       .add_options = [&](CLI::App& app) { trace_loop.add_to(app); },
       .run =
           [&](const common::ClientOptions& options, common::RunReport& report) {
             stage3::run(options, report, trace_loop.observer());
           }});
}
