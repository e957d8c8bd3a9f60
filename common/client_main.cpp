#include "common/client_main.hpp"

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>

namespace common {

int client_main(int argc, char** argv, const ClientStage& stage) {
  CLI::App app{stage.description, stage.name};
  ClientOptions options;
  add_client_options(app, options, stage.with_selector);
  stage.add_options(app);
  if (auto exit_code = parse_command_line(app, argc, argv)) return *exit_code;

  // Every request holds a socket while it runs; many requests need many descriptors.
  rlim_t limit = raise_open_file_limit();
  if (static_cast<rlim_t>(options.requests) + 16 > limit && !options.json) {
    std::cerr << stage.name << ": warning: " << options.requests
              << " requests may need more than the " << limit
              << " open files this process may hold (ulimit -n)\n";
  }

  RunReport report(stage.name, options, std::cout, std::cerr);
  return run_to_the_end(stage.name, stage.run, options, report, std::cerr);
}

int run_to_the_end(const std::string& name,
                   const std::function<void(const ClientOptions&, RunReport&)>& run,
                   const ClientOptions& options, RunReport& report, std::ostream& err) {
  try {
    run(options, report);
  } catch (const std::exception& error) {
    err << name << ": error: " << error.what() << "\n";
    report.stop(error.what());
    report.finish();
    return 1;  // even if every request had ended well: the run itself did not
  }
  return report.finish();
}

void add_flag(CLI::App& app, const std::string& name, bool& value, const std::string& description) {
  app.add_flag(name, value, description);
}

}  // namespace common
