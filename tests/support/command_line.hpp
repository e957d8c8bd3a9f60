// command_line.hpp: parse a command line with a CLI11 app as a binary would, in process,
// keeping the exit code (none: parsed; 2: bad input) and the message CLI11 printed.
#pragma once

#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "common/cli.hpp"

namespace test_support {

struct CommandLine {
  std::optional<int> exit_code;
  std::string error;  // what parse_command_line printed on std::cerr
};

inline CommandLine parse_words(CLI::App& app, std::vector<std::string> words) {
  words.insert(words.begin(), app.get_name());
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  std::ostringstream err;
  std::streambuf* saved = std::cerr.rdbuf(err.rdbuf());
  CommandLine parsed;
  parsed.exit_code = common::parse_command_line(app, static_cast<int>(argv.size()), argv.data());
  std::cerr.rdbuf(saved);
  parsed.error = err.str();
  return parsed;
}

}  // namespace test_support
