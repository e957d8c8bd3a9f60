// main.cpp: the stage5_io_uring binary: stage 4's command line and output, on the ring.
// It first probes io_uring (ring.hpp): where the kernel, a seccomp filter or a sysctl
// refuses it, one line says which and the exit code is 2. The lesson is in client.cpp.
#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>

#include "common/client_main.hpp"
#include "stage4_coroutines/extras/command_line.hpp"
#include "stage5_io_uring/client.hpp"

int main(int argc, char** argv) {
  const bool help = std::any_of(argv + 1, argv + argc, [](std::string_view arg) {
    return arg == "--help" || arg == "-h";  // --help works where io_uring does not
  });
  if (const std::string why = stage5::probe(); !why.empty() && !help) {
    std::fprintf(stderr, "stage5_io_uring: %s\n", why.c_str());
    return 2;
  }
  stage4::CommandLine command_line;
  return common::client_main(
      argc, argv,
      {.name = "stage5_io_uring",
       .description = "Stage 5: the stage 4 client on io_uring completions",
       .with_selector = false,
       .add_options = [&](CLI::App& app) { stage4::add_stage4_options(app, command_line); },
       .run =
           [&](const common::ClientOptions& options, common::RunReport& report) {
             stage4::run_with_flags(options, report, command_line, stage5::run);
           }});
}
