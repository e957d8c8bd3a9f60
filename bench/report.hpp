// report.hpp: how every benchmark shows what it measured: text tables (with numbered
// notes saying why a run did not finish), targets marked met / not met, and the
// sections of results.json that bench_chart draws.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/cli_fwd.hpp"

#include "bench/machine.hpp"

namespace bench {

// JSON through nlohmann's library; ordered_json keeps the keys in the order they were
// written, so results.json reads in the order it was measured.
using Json = nlohmann::ordered_json;

// object[key] as a T, or `fallback` when the key is missing or null (a run that did not
// finish has "seconds": null); other types throw, as the library does.
template <typename T>
T get_or(const Json& object, const char* key, T fallback) {
  auto found = object.find(key);
  return found == object.end() || found->is_null() ? fallback : found->template get<T>();
}

class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  // Cells are right-aligned (figures), except in the first column (the row's name) and
  // in columns made left-aligned here (words).
  void align_left(std::size_t column);
  void add_row(std::vector<std::string> cells);
  // Adds a numbered note below the table and returns its marker, "[2]".
  std::string note(const std::string& text);
  std::string str() const;

 private:
  std::vector<std::string> headers_;
  std::vector<bool> left_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::string> notes_;
};

// A goal from the issue, beside the figure measured for it.
struct Target {
  std::string what;    // "stage 4, C = 100"
  std::string figure;  // "10.041 s"
  std::string goal;    // "<= 10.200 s (ideal + 2 %)"
  bool met = false;
};
// One line each: "  met      stage 4, C = 100: 10.041 s (target <= 10.200 s)".
std::string format_targets(const std::vector<Target>& targets);
Json targets_json(const std::vector<Target>& targets);

// `value` with `decimals` digits after the point: fixed(2.016, 2) is "2.02".
std::string fixed(double value, int decimals);
// "10.041 s"
std::string format_seconds(double seconds);
// "100,000"
std::string format_count(long long count);

// The title and the machine, printed first by every benchmark.
std::string header(const std::string& title, const Machine& machine);

// --results FILE: where the benchmark writes its `section` of results.json.
void add_results_option(CLI::App& app, std::string& path, const std::string& section);
// Writes `section` of the JSON object in `path` (other sections are kept, so the three
// benchmarks fill one file), with "machine" updated. Does nothing when path is empty.
void save_results(const std::string& path, const std::string& section, Json value,
                  const Machine& machine);

}  // namespace bench
