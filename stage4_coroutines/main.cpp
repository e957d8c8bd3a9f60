// main.cpp: the stage4_coroutines binary: the shared client main, plus stage 4's flags
// (extras/command_line.cpp). The lesson is in client.cpp.
#include "common/client_main.hpp"
#include "stage4_coroutines/extras/command_line.hpp"

int main(int argc, char** argv) {
  stage4::CommandLine command_line;
  return common::client_main(
      argc, argv,
      {.name = "stage4_coroutines",
       .description = "Stage 4: C++20 native coroutines: co_await",
       .with_selector = true,
       .add_options = [&](CLI::App& app) { stage4::add_stage4_options(app, command_line); },
       .run =
           [&](const common::ClientOptions& options, common::RunReport& report) {
             stage4::run_with_flags(options, report, command_line);
           }});
}
