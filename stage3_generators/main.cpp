// main.cpp: the stage3_generators binary. The lesson is in client.cpp.
#include <iostream>

#include "common/client_main.hpp"
#include "stage3_generators/client.hpp"
#include "stage3_generators/extras/trace.hpp"

int main(int argc, char** argv) {
  bool trace_loop = false;
  return common::client_main(
      argc, argv,
      {.name = "stage3_generators",
       .description = "Stage 3: hand-rolled generators, futures, tasks and an event loop",
       .with_selector = true,
       .add_options =
           [&](CLI::App& app) {
             common::add_flag(app, "--trace-loop", trace_loop,
                              "Print the loop's dance on stderr: every task step, yield, "
                              "resolved future and select() wake-up");
           },
       .run =
           [&](const common::ClientOptions& options, common::RunReport& report) {
             stage3::extras::TraceWriter trace(std::cerr);
             stage3::run(options, report, trace_loop ? &trace : nullptr);
           }});
}
