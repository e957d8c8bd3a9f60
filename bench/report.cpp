#include "bench/report.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace bench {

namespace {

// Columns are measured in characters as the terminal shows them: UTF-8 continuation
// bytes take no column ("≤" is three bytes, one column).
std::size_t columns(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

Table::Table(std::vector<std::string> headers)
    : headers_(std::move(headers)), left_(headers_.size(), false) {
  left_[0] = true;
}

void Table::align_left(std::size_t column) {
  left_.at(column) = true;
}

void Table::add_row(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

std::string Table::note(const std::string& text) {
  notes_.push_back(text);
  std::string marker = "[";  // (appended piece by piece: g++ 12 -O2 warns about "[" + ...)
  marker += std::to_string(notes_.size());
  return marker += "]";
}

std::string Table::str() const {
  std::vector<std::size_t> widths(headers_.size());
  for (std::size_t i = 0; i < headers_.size(); ++i) widths[i] = columns(headers_[i]);
  for (const auto& row : rows_)
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], columns(row[i]));

  std::ostringstream out;
  auto print_row = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      std::string pad(widths[i] - columns(cells[i]), ' ');
      line += "  " + (left_[i] ? cells[i] + pad : pad + cells[i]);
    }
    out << line.substr(0, line.find_last_not_of(' ') + 1) << "\n";
  };
  print_row(headers_);
  std::size_t total = 0;
  for (std::size_t width : widths) total += width + 2;
  out << "  " << std::string(total - 2, '-') << "\n";
  for (const auto& row : rows_) print_row(row);
  for (std::size_t i = 0; i < notes_.size(); ++i)
    out << "  [" << i + 1 << "] " << notes_[i] << "\n";
  return out.str();
}

std::string format_targets(const std::vector<Target>& targets) {
  std::string out;
  for (const Target& target : targets) {
    out += target.met ? "  met      " : "  NOT MET  ";
    out += target.what + ": " + target.figure + " (target " + target.goal + ")\n";
  }
  return out;
}

Json targets_json(const std::vector<Target>& targets) {
  Json array = Json::array();
  for (const Target& t : targets)
    array.push_back({{"what", t.what}, {"figure", t.figure}, {"goal", t.goal}, {"met", t.met}});
  return array;
}

std::string fixed(double value, int decimals) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string format_seconds(double seconds) {
  return fixed(seconds, 3) + " s";
}

std::string format_count(long long count) {
  std::string digits = std::to_string(count < 0 ? -count : count);
  std::string out = count < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string header(const std::string& title, const Machine& machine) {
  return "== " + title + " ==\nmachine: " + machine.describe() + "\n";
}

void add_results_option(CLI::App& app, std::string& path, const std::string& section) {
  app.add_option("--results", path,
                 "Write the figures into this JSON file (its " + section + " section)");
}

void save_results(const std::string& path, const std::string& section, Json value,
                  const Machine& machine) {
  if (path.empty()) return;
  Json results;
  if (std::ifstream in(path); in) {
    try {
      results = Json::parse(in);
    } catch (const Json::exception& error) {
      std::cerr << "note: " << path << " was not JSON (" << error.what() << "); starting anew\n";
    }
  }
  if (!results.is_object()) results = Json::object();
  results["machine"] = machine.to_json();
  results[section] = std::move(value);
  std::filesystem::path file(path);
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  std::ofstream(path) << results.dump(2) << "\n";
}

}  // namespace bench
