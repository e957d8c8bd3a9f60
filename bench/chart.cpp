// chart.cpp: bench_chart draws build/bench/results.json (written by sleep_table, million
// and c10k) as one SVG, the chart docs/05-road-to-a-million.md shows, and prints every
// target of the run with met / not met.
//
//   bench_chart --results build/bench/results.json --svg build/bench/road-to-a-million.svg
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "bench/report.hpp"
#include "bench/svg.hpp"

namespace {

using bench::Json;

// A member as a number, a text, a flag or a count: 0, "" or false when it is missing or null.
double number(const Json& object, const char* key) {
  return bench::get_or(object, key, 0.0);
}
std::string text(const Json& object, const char* key) {
  return bench::get_or(object, key, std::string());
}
bool flag(const Json& object, const char* key) {
  return bench::get_or(object, key, false);
}
// A count as text: "100,000".
std::string count(const Json& object, const char* key) {
  return bench::format_count(bench::get_or(object, key, 0LL));
}

// One color per engine, the same in every panel.
std::string color_of(const std::string& name) {
  // {the name's start, its color}
  static const std::pair<const char*, const char*> picks[] = {
      {"ideal", "#888888"},
      {"article: Python threading", "#f4a259"},
      {"article: Python asyncio", "#8ab6e6"},
      {"threads", "#e07a1f"},
      {"stage0", "#e07a1f"},
      {"stage1", "#b5651d"},
      {"stage2", "#c44e52"},
      {"stage 3", "#8c61c9"},
      {"stage3", "#8c61c9"},
      {"stage 4", "#1a9e4b"},
      {"stage4", "#1a9e4b"},
      {"stage5", "#6b8e23"},
      {"Python", "#2466b3"},
  };
  if (name.find("uvloop") != std::string::npos) return "#17a5b8";
  for (const auto& [prefix, color] : picks)
    if (name.starts_with(prefix)) return color;
  return "#444444";
}

// A logarithmic axis: value -> pixel, from [low, high] onto [from, to].
struct LogScale {
  double low, high, from, to;
  double operator()(double value) const {
    double clamped = std::clamp(value, low, high);
    return from + (to - from) * (std::log10(clamped) - std::log10(low)) /
                      (std::log10(high) - std::log10(low));
  }
};

std::string short_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.3g", value);
  return text;
}

// Panel 1: seconds against C, both on log scales.
double draw_sleep_table(bench::Svg& svg, const Json& table, double top) {
  const double left = 80, right = 620, plot_top = top + 60, bottom = top + 400;
  // Both axes span whole decades around what was measured.
  double fewest = 1e300, most = 0, fastest = 1e300, slowest = 0;
  for (const Json& c : bench::get_or(table, "concurrency", Json::array())) {
    fewest = std::min(fewest, c.get<double>());
    most = std::max(most, c.get<double>());
  }
  for (const Json& engine : bench::get_or(table, "engines", Json::array())) {
    for (const Json& run : bench::get_or(engine, "runs", Json::array())) {
      if (!flag(run, "finished")) continue;
      fastest = std::min(fastest, number(run, "seconds"));
      slowest = std::max(slowest, number(run, "seconds"));
    }
  }
  if (slowest == 0) fastest = slowest = 1;
  LogScale x{fewest / 1.4, most * 1.4, left, right};
  LogScale y{std::pow(10, std::floor(std::log10(fastest))),
             std::pow(10, std::ceil(std::log10(slowest))), bottom, plot_top};
  svg.text(20, top + 25,
           "The article's experiment: " + count(table, "tasks") + " sleeps of " +
               short_number(number(table, "sleep_ms")) + " ms by C concurrent workers",
           17, "start", "#222", true);
  svg.text(20, top + 45, "wall seconds (log scale); lower is better; x: did not finish", 12,
           "start", "#555");
  for (double seconds = y.low; seconds <= y.high * 1.01; seconds *= 10) {
    char label[32];
    std::snprintf(label, sizeof label, "%g s", seconds);
    svg.line(left, y(seconds), right, y(seconds), "#e5e5e5");
    svg.text(left - 8, y(seconds) + 4, label, 11, "end", "#555");
  }
  for (const Json& c : bench::get_or(table, "concurrency", Json::array())) {
    svg.line(x(c.get<double>()), plot_top, x(c.get<double>()), bottom, "#e5e5e5");
    svg.text(x(c.get<double>()), bottom + 18,
             "C = " + bench::format_count(static_cast<long long>(c.get<double>())), 11, "middle",
             "#555");
  }
  double legend_y = plot_top;
  for (const Json& engine : bench::get_or(table, "engines", Json::array())) {
    std::string name = text(engine, "name");
    std::string kind = text(engine, "kind");
    std::string color = color_of(name);
    std::vector<std::pair<double, double>> points;
    for (const Json& run : bench::get_or(engine, "runs", Json::array())) {
      double px = x(number(run, "concurrency"));
      if (!flag(run, "finished")) {
        svg.text(px, plot_top - 4, "x", 16, "middle", color, true);
        continue;
      }
      points.emplace_back(px, y(number(run, "seconds")));
      svg.circle(px, y(number(run, "seconds")), kind == "article" ? 2.5 : 3.5, color);
    }
    bool thin = kind == "ideal" || kind == "article";
    svg.polyline(points, color, name.rfind("stage 4", 0) == 0 ? 3 : thin ? 1.5 : 2, thin);
    svg.line(right + 25, legend_y, right + 55, legend_y, color, 3, thin);
    svg.text(right + 62, legend_y + 4, name, 12);
    legend_y += 20;
  }
  return bottom + 40;
}

struct Bar {
  std::string label;
  double value;      // < 0: no bar, `note` instead
  std::string note;  // printed after the bar
};

// Horizontal bars, one per row, on a linear scale from 0.
double draw_bars(bench::Svg& svg, double left, double top, double width, const std::string& title,
                 const std::vector<Bar>& bars) {
  svg.text(left, top, title, 13, "start", "#222", true);
  double most = 0;
  for (const Bar& bar : bars) most = std::max(most, bar.value);
  // A linear scale from 0: value -> pixel.
  const double from = left + 170, to = left + width - 90;
  auto scale = [&](double value) { return from + (to - from) * value / (most > 0 ? most : 1); };
  double y = top + 14;
  for (const Bar& bar : bars) {
    svg.text(left + 162, y + 12, bar.label, 12, "end");
    if (bar.value >= 0) {
      svg.rect(left + 170, y, std::max(1.0, scale(bar.value) - (left + 170)), 16,
               color_of(bar.label));
      svg.text(scale(bar.value) + 6, y + 12, bar.note, 11, "start", "#333");
    } else {
      svg.text(left + 170, y + 12, bar.note, 11, "start", "#b00");
    }
    y += 22;
  }
  return y;
}

double draw_million(bench::Svg& svg, const Json& million, double top) {
  svg.text(20, top + 10,
           count(million, "tasks") + " concurrent tasks, each sleeping " +
               short_number(number(million, "sleep_ms") / 1000) + " s, on one thread",
           17, "start", "#222", true);
  std::vector<Bar> wall, memory;
  for (const Json& engine : bench::get_or(million, "engines", Json::array())) {
    std::string name = text(engine, "name");
    if (!flag(engine, "finished")) {
      std::string reason = text(engine, "reason");
      std::string shown =
          reason.substr(0, reason.find(" ("));  // "impossible: pid_max 32,768 allows..."
      wall.push_back({name, -1, shown.size() > 60 ? shown.substr(0, 57) + "..." : shown});
      memory.push_back({name, -1, "-"});
      continue;
    }
    double seconds = number(engine, "wall_seconds");
    double rss = number(engine, "peak_rss_bytes");
    wall.push_back({name, seconds, bench::format_seconds(seconds)});
    memory.push_back({name, rss, bench::format_bytes(rss)});
  }
  double end = draw_bars(svg, 20, top + 40, 460, "wall time", wall);
  draw_bars(svg, 490, top + 40, 460, "peak resident memory", memory);
  return end + 20;
}

double draw_c10k(bench::Svg& svg, const Json& c10k, double top) {
  double most = 0;
  for (const Json& run : bench::get_or(c10k, "runs", Json::array()))
    most = std::max(most, number(run, "requests"));
  svg.text(20, top + 10,
           bench::format_count(static_cast<long long>(most)) +
               " concurrent requests, server delay " + short_number(number(c10k, "delay_seconds")) +
               " s: what each client costs",
           17, "start", "#222", true);
  std::vector<Bar> cpu, wall;
  for (const Json& run : bench::get_or(c10k, "runs", Json::array())) {
    if (number(run, "requests") != most) continue;
    std::string name = text(run, "client");
    if (!flag(run, "reported")) {
      cpu.push_back({name, -1, "did not run"});
      wall.push_back({name, -1, "did not run"});
      continue;
    }
    std::string ok = text(run, "problem").empty() ? "" : " (" + count(run, "ok") + " ok)";
    cpu.push_back(
        {name, number(run, "cpu_seconds"), short_number(number(run, "cpu_seconds")) + " s"});
    wall.push_back({name, number(run, "wall_seconds"),
                    bench::format_seconds(number(run, "wall_seconds")) + ok});
  }
  double end = draw_bars(svg, 20, top + 40, 460, "client CPU time (user + system)", cpu);
  draw_bars(svg, 490, top + 40, 460, "wall time", wall);
  return end + 20;
}

// Every target in the file, and how many were met.
void print_targets(const Json& results) {
  std::vector<bench::Target> targets;
  for (const char* section : {"sleep_table", "million", "c10k"}) {
    for (const Json& target :
         bench::get_or(bench::get_or(results, section, Json::object()), "targets", Json::array()))
      targets.push_back({std::string(section) + ": " + text(target, "what"), text(target, "figure"),
                         text(target, "goal"), flag(target, "met")});
  }
  const auto met = std::count_if(targets.begin(), targets.end(),
                                 [](const bench::Target& target) { return target.met; });
  std::cout << bench::format_targets(targets) << met << " of " << targets.size()
            << " targets met\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Draws results.json as an SVG chart and lists the targets", "bench_chart"};
  std::string results_path = "build/bench/results.json";
  std::string svg_path = "build/bench/road-to-a-million.svg";
  app.add_option("--results", results_path, "The JSON file the benchmarks wrote")
      ->capture_default_str();
  app.add_option("--svg", svg_path, "Where to write the chart")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::ifstream in(results_path);
  if (!in) {
    std::cerr << "bench_chart: cannot read " << results_path << "\n";
    return 1;
  }
  const Json results = Json::parse(in);
  auto section = [&](const char* name) { return bench::get_or(results, name, Json::object()); };

  bench::Svg svg(960);
  double y = 10;
  if (!section("sleep_table").empty()) y = draw_sleep_table(svg, section("sleep_table"), y);
  if (!section("million").empty()) y = draw_million(svg, section("million"), y);
  if (!section("c10k").empty()) y = draw_c10k(svg, section("c10k"), y);
  const Json machine = section("machine");
  svg.text(20, y + 10,
           "measured on " + short_number(number(machine, "cores")) + " cores (" +
               text(machine, "cpu") + "), " + bench::format_bytes(number(machine, "ram_bytes")) +
               " RAM, " + text(machine, "kernel") + "; bench/ in this repository",
           11, "start", "#777");
  std::ofstream(svg_path) << svg.str();
  std::cout << "chart: " << svg_path << "\ntargets of this run:\n";
  print_targets(results);
  return 0;
}
