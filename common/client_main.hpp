// client_main.hpp: the main() every client stage shares, so each stage's main.cpp
// is a few lines and the lesson stays in the stage's own files.
//
//   int main(int argc, char** argv) {
//     return common::client_main(argc, argv, {
//         .name = "stage1_callbacks",
//         .description = "Stage 1: nested callbacks on a selector loop",
//         .with_selector = true,
//         .run = [](const common::ClientOptions& options, common::RunReport& report) {
//           stage1::run(options, report);
//         }});
//   }
//
// It parses the shared options (exit 2 on bad input), raises the open-file limit when
// many requests need many sockets, runs the stage, and prints the report (exit 0 when
// every request succeeded, 1 otherwise). An exception escaping `run` (the select
// backend refusing fd >= FD_SETSIZE, say) is printed as "<name>: error: <what>", and the
// report is still printed (run_to_the_end below), exit 1.
#pragma once

#include "common/cli_fwd.hpp"

#include <functional>
#include <iosfwd>
#include <string>

#include "common/client_options.hpp"
#include "common/run_report.hpp"

namespace common {

struct ClientStage {
  std::string name;
  std::string description;
  bool with_selector = true;
  // Adds the stage's own options (stage 0's --threads, stage 4's --sequential...).
  std::function<void(CLI::App&)> add_options = [](CLI::App&) {};
  std::function<void(const ClientOptions&, RunReport&)> run;
};

// Runs `run` and then finishes `report`, returning the exit code, even when `run` throws:
// then "<name>: error: <what>" goes to `err`, every request not ended yet fails with
// "run stopped: <what>" (RunReport::stop), and the requests that did end are still in
// the summary, --json and --trace: an abort halfway must not throw away what was learnt.
int run_to_the_end(const std::string& name,
                   const std::function<void(const ClientOptions&, RunReport&)>& run,
                   const ClientOptions& options, RunReport& report, std::ostream& err);

int client_main(int argc, char** argv, const ClientStage& stage);

// Adds a yes/no flag to `app` (stage 0's --threads): enough for most stages' own options,
// and their main.cpp need not include CLI11, whose header costs seconds to compile.
void add_flag(CLI::App& app, const std::string& name, bool& value, const std::string& description);

}  // namespace common
