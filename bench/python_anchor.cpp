#include "bench/python_anchor.hpp"

#include <CLI/CLI.hpp>

#include <stdexcept>

namespace bench {

namespace {

// The real executable behind `interpreter` when it can import `module` (and print
// sys.executable), else "".
std::string resolve(const std::string& interpreter, const std::string& module) {
  std::string program = "import sys" + (module.empty() ? "" : ", " + module) +
                        "; print(sys.executable, '%d.%d' % sys.version_info[:2])";
  common::ChildResult run = common::run_child({interpreter, "-c", program}, common::Seconds(30));
  if (run.exit_code != 0) return "";
  return last_line(run.out);
}

PythonEngine engine(const std::string& resolved, const std::string& loop) {
  auto space = resolved.rfind(' ');
  return {"Python " + resolved.substr(space + 1) + " " + loop, resolved.substr(0, space), loop};
}

}  // namespace

void add_python_options(CLI::App& app, PythonOptions& options) {
  app.add_option("--python", options.python, "Python interpreter for the asyncio rows")
      ->capture_default_str();
  app.add_option("--uvloop-python", options.uvloop_python,
                 "Python interpreter for the uvloop rows (default: the first of --python and "
                 "/usr/bin/python3 that can import uvloop)");
  app.add_flag("!--no-python", options.enabled, "Leave out the Python rows");
  app.add_option("--python-dir", options.scripts_dir, "Where the Python anchors are")
      ->capture_default_str();
}

std::vector<PythonEngine> find_python_engines(const PythonOptions& options,
                                              std::vector<std::string>& notes) {
  std::vector<PythonEngine> engines;
  if (!options.enabled) return engines;
  if (std::string asyncio = resolve(options.python, ""); !asyncio.empty()) {
    engines.push_back(engine(asyncio, "asyncio"));
  } else {
    notes.push_back("Python rows left out: '" + options.python + "' does not run");
    return engines;
  }
  std::vector<std::string> candidates{options.python, "/usr/bin/python3"};
  if (!options.uvloop_python.empty()) candidates = {options.uvloop_python};
  for (const std::string& candidate : candidates) {
    if (std::string uvloop = resolve(candidate, "uvloop"); !uvloop.empty()) {
      engines.push_back(engine(uvloop, "uvloop"));
      return engines;
    }
  }
  notes.push_back(
      "uvloop rows left out: no interpreter here can import uvloop "
      "(Debian: apt-get install python3-uvloop, for /usr/bin/python3)");
  return engines;
}

std::vector<std::string> python_command(const PythonOptions& options, const PythonEngine& engine,
                                        const std::string& script,
                                        const std::vector<std::string>& arguments) {
  std::vector<std::string> command{engine.interpreter, options.scripts_dir + "/" + script};
  command.insert(command.end(), arguments.begin(), arguments.end());
  command.insert(command.end(), {"--loop", engine.loop});
  return command;
}

Json run_python_anchor(const PythonOptions& options, const PythonEngine& engine,
                       const std::string& script, const std::vector<std::string>& arguments,
                       common::Seconds limit) {
  common::ChildResult run =
      common::run_child(python_command(options, engine, script, arguments), limit);
  if (run.exit_code != 0)
    throw std::runtime_error(script + " " + run.how_it_ended() + ": " + last_line(run.err));
  return Json::parse(last_line(run.out));
}

std::string last_line(const std::string& text) {
  std::size_t end = text.find_last_not_of("\r\n");
  if (end == std::string::npos) return "";
  std::size_t start = text.find_last_of('\n', end) + 1;  // npos + 1 is 0: the first line
  return text.substr(start, end + 1 - start);
}

}  // namespace bench
