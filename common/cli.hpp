// cli.hpp: small CLI11 helpers every program here shares (the client stages,
// slow_server and its load check).
#pragma once

#include <CLI/CLI.hpp>

#include <map>
#include <string>

#include "common/selector.hpp"

namespace common {

// An option taking one of a few names: `--framing line|chunk`. A bad name exits 2 with
// CLI11's message listing the names.
template <typename Value>
CLI::Option* add_choice_option(CLI::App& app, const std::string& name, Value& target,
                               std::map<std::string, Value> choices,
                               const std::string& description) {
  std::string current;
  for (const auto& [text, value] : choices) {
    if (value == target) current = text;
  }
  return app
      .add_option_function<std::string>(
          name, [&target, choices](const std::string& text) { target = choices.at(text); },
          description)
      ->check(CLI::IsMember(choices))
      ->default_str(current);
}

// --selector epoll|poll|select (those this system has).
void add_selector_option(CLI::App& app, SelectorKind& kind);

// A host name that resolves (an address to listen on or connect to).
CLI::Validator host_validator();

// A number of seconds >= 0 ("--delay 0.25"), or > 0 when zero makes no sense ("--timeout").
CLI::Validator seconds_validator(bool allow_zero = true);

}  // namespace common
