// python_anchor.hpp: running the Python anchors (bench/python/*.py) beside our own runs.
//
// Each benchmark prints Python's rows in its own table, measured on the same machine in
// the same run: asyncio on `--python` (python3), and uvloop on the first interpreter that
// can import it (Debian's python3-uvloop belongs to /usr/bin/python3, which may not be the
// python3 first in PATH). Interpreters are resolved to their real executable first: a
// pyenv shim is a shell script whose own CPU time would be counted as Python's.
#pragma once

#include "common/cli_fwd.hpp"

#include <string>
#include <vector>

#include "bench/report.hpp"
#include "common/child_process.hpp"

namespace bench {

struct PythonOptions {
  bool enabled = true;
  std::string python = "python3";
  std::string uvloop_python;                       // empty: look for one
  std::string scripts_dir = AIO_BENCH_PYTHON_DIR;  // bench/python in the source tree
};
// --python, --uvloop-python, --no-python, --python-dir.
void add_python_options(CLI::App& app, PythonOptions& options);

struct PythonEngine {
  std::string name;         // "Python 3.11 asyncio"
  std::string interpreter;  // "/root/.pyenv/versions/3.11.7/bin/python3.11"
  std::string loop;         // "asyncio" or "uvloop"
};

// The engines this machine can run; why any is missing goes to `notes`
// ("uvloop: no interpreter can import it (Debian: apt-get install python3-uvloop)").
std::vector<PythonEngine> find_python_engines(const PythonOptions& options,
                                              std::vector<std::string>& notes);

// python <scripts_dir>/<script> <arguments...> --loop <loop>
std::vector<std::string> python_command(const PythonOptions& options, const PythonEngine& engine,
                                        const std::string& script,
                                        const std::vector<std::string>& arguments);

// Runs an anchor that prints one JSON object; throws (std::runtime_error) saying how it
// failed (its stderr's last line) when it does not.
Json run_python_anchor(const PythonOptions& options, const PythonEngine& engine,
                       const std::string& script, const std::vector<std::string>& arguments,
                       common::Seconds limit);

// The last non-empty line of `text` (an error message, usually).
std::string last_line(const std::string& text);

}  // namespace bench
