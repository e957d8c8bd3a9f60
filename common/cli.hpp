// cli.hpp: small CLI11 helpers every program here shares (the client stages,
// slow_server and its load check).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
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

// --host and --port of the server to connect to: every client stage, and slow_server's
// load and abuse checks.
void add_server_address_options(CLI::App& app, std::string& host, std::uint16_t& port);

// An integer option ("--port 8080", "--requests 10"): decimal digits from `min` to `max`.
// Why not CLI11's own reading: CLI11 2.1 reads integers as C literals (strtoll, base 0),
// so "--port 010" would be port 8 and "--port 0x1f90" port 8080, a surprise for anyone who
// meant ten. The rule here is plain digits, nothing else: no leading zero ("010" is an
// error, neither eight nor ten), no sign ("+5" and "-1" are errors: every integer option
// here is a count or a port) and no spaces. A check runs on the raw text before CLI11
// converts it, and the digits it lets through read the same in any base CLI11 might pick.
CLI::Validator integer_validator(std::uint64_t min, std::uint64_t max);

// The largest value a seconds option takes: a million seconds (11.6 days). Deadlines are
// computed in std::chrono::nanoseconds, 64 bits, which hold 292 years; 1e6 s is 1e15 ns,
// so a deadline of now plus a few such values, or one of them times the 1024 bytes of a
// line (--trickle-gap), stays far from overflow. 1e300 or inf would overflow (undefined
// behaviour), and NaN would make every comparison with a deadline false.
inline constexpr double max_option_seconds = 1e6;

// A seconds option ("--delay 0.25", "--timeout 30", "1e-3"): a finite decimal number from
// 0 (or above 0 when zero makes no sense, "--timeout") to max_option_seconds. As with
// integers: no spaces, no leading '+', no "nan", "inf" or hex ("0x1p3").
CLI::Validator seconds_validator(bool allow_zero = true);

}  // namespace common
