// timeline_svg.cpp: draws client runs (what a stage prints with --json) as one SVG: the
// runs stacked, one bar per request from its start to its answer, all on ONE time axis,
// so 50 s against 5 s is seen at a glance. scripts/timeline.sh makes the README's
// picture with it:
//
//   timeline_svg --run stage0_blocking=stage0.json --run stage4_coroutines=stage4.json
//                --title "..." --output docs/img/timeline-stage0-vs-stage4.svg
//
// It reads the runs with nlohmann::json (bench/report.hpp) and draws with bench/svg.hpp, as
// bench_chart does.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>

#include "bench/report.hpp"
#include "bench/svg.hpp"
#include "common/client_options.hpp"

namespace {

using bench::Json;

// --- Reading a run --------------------------------------------------------------------

struct Request {
  int id = 0;
  bool ok = false;
  double start = 0, end = 0;  // seconds since the run started
};

struct Run {
  std::string label;  // from --run LABEL=FILE
  double wall_seconds = 0;
  std::vector<Request> requests;  // in the file's order: the order they were sent
};

// {"stage": ..., "wall_seconds": 5.003, "results": [{"id": 9, "ok": true, "start": 0.000,
// "end": 5.002, ...}, ...], ...}: what common::json_report writes. Other members are unused;
// a missing one (or one of another type) means the file is not what a client wrote.
Run read_run(const std::string& label, const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot open " + path);
  Run run{label, 0, {}};
  try {
    const Json json = Json::parse(file);
    run.wall_seconds = json.at("wall_seconds").get<double>();
    for (const Json& result : json.at("results")) {
      run.requests.push_back({result.at("id").get<int>(), bench::get_or(result, "ok", false),
                              result.at("start").get<double>(), result.at("end").get<double>()});
    }
  } catch (const Json::exception& error) {
    throw std::runtime_error(path + ": not a client's --json output: " + error.what());
  }
  if (run.requests.empty())
    throw std::runtime_error(path + ": not a client's --json output: no \"results\"");
  return run;
}

// --- Drawing --------------------------------------------------------------------------

// A bar: one request, or a group of consecutive ones when a run has too many to show.
struct Bar {
  std::string label;
  double start, end;
  int failed;
};

std::vector<Bar> bars_of(const Run& run, std::size_t max_bars) {
  const std::size_t n = run.requests.size();
  const std::size_t per_bar = std::max<std::size_t>(1, (n + max_bars - 1) / max_bars);
  std::vector<Bar> bars;
  for (std::size_t first = 0; first < n; first += per_bar) {
    const std::size_t last = std::min(n, first + per_bar) - 1;
    Bar bar{"Request " + std::to_string(run.requests[first].id), 1e300, 0, 0};
    if (last > first) {
      bar.label = "Requests " + std::to_string(run.requests[first].id) + "-" +
                  std::to_string(run.requests[last].id);
    }
    for (std::size_t i = first; i <= last; ++i) {
      bar.start = std::min(bar.start, run.requests[i].start);
      bar.end = std::max(bar.end, run.requests[i].end);
      bar.failed += run.requests[i].ok ? 0 : 1;
    }
    bars.push_back(bar);
  }
  return bars;
}

// The tick step: 1, 2 or 5 times a power of ten, giving at most about 12 ticks.
double tick_step(double span) {
  const double rough = span / 12;
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  for (double step : {1.0, 2.0, 5.0})
    if (step * power >= rough) return step * power;
  return 10 * power;
}

// Colors that stay apart for colour-blind readers (bench_chart's stage colours first).
const char* const palette[] = {"#e07a1f", "#1a9e4b", "#2466b3", "#8c61c9", "#17a5b8"};
const char* const failed_color = "#c0392b";

std::string draw(const std::vector<Run>& runs, const std::string& title, std::size_t max_bars) {
  const double width = 960, left = 150, right = width - 40;  // the time axis: left..right
  const double top = 64, run_header = 22, bar_height = 14, bar_gap = 4, run_gap = 26;

  // Lay out first: the axis and its grid go under the bars, so they are drawn first.
  std::vector<std::vector<Bar>> bars;
  double longest = 0, plot_height = 0;
  bool any_failed = false;
  for (const Run& run : runs) {
    longest = std::max(longest, run.wall_seconds);
    for (const Request& request : run.requests) {
      longest = std::max(longest, request.end);
      any_failed = any_failed || !request.ok;
    }
    bars.push_back(bars_of(run, max_bars));
    plot_height +=
        run_header + static_cast<double>(bars.back().size()) * (bar_height + bar_gap) + run_gap;
  }
  const double step = tick_step(std::max(longest, 1e-3));
  const double axis_end = std::max(1.0, std::ceil(longest / step - 1e-9)) * step;
  auto x = [&](double seconds) { return left + (right - left) * seconds / axis_end; };
  const double axis_y = top + plot_height - run_gap + 8;

  bench::Svg svg(width);
  svg.text(width / 2, 30, title, 17, "middle", "#222", true);

  // One axis for every run, with its grid lines through all of them.
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step)));
  for (double tick = 0; tick <= axis_end + step / 2; tick += step) {
    svg.line(x(tick), top, x(tick), axis_y, "#ddd");
    svg.line(x(tick), axis_y, x(tick), axis_y + 5, "#333");
    svg.text(x(tick), axis_y + 19, bench::fixed(tick, decimals), 12, "middle");
  }
  svg.line(left, axis_y, right, axis_y, "#333");
  svg.text((left + right) / 2, axis_y + 38,
           std::string("seconds since the run started (dashed: the ") +
               (any_failed ? "run's end; red: failed)" : "run's end)"),
           13, "middle");

  double y = top;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const Run& run = runs[r];
    const std::string color = palette[r % std::size(palette)];
    const std::size_t total = run.requests.size();
    const auto ok = std::count_if(run.requests.begin(), run.requests.end(),
                                  [](const Request& request) { return request.ok; });
    svg.text(left, y + 12, run.label, 14, "start", color, true);
    svg.text(right, y + 12,
             std::to_string(ok) + "/" + std::to_string(total) + " ok, wall " +
                 bench::fixed(run.wall_seconds, 2) + " s",
             13, "end");
    y += run_header;
    const double rows_top = y;
    for (const Bar& bar : bars[r]) {
      const double x0 = x(bar.start), x1 = std::max(x(bar.end), x0 + 1.5);  // never invisible
      svg.text(left - 8, y + bar_height - 3, bar.label, 12, "end");
      svg.rect(x0, y, x1 - x0, bar_height, bar.failed ? failed_color : color);
      y += bar_height + bar_gap;
    }
    // Where the run ended: its wall time.
    svg.line(x(run.wall_seconds), rows_top - 4, x(run.wall_seconds), y, "#333", 1.5, true);
    y += run_gap;
  }
  return svg.str();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Draws client runs (each FILE is what a stage printed with --json) stacked on one time\n"
      "axis, one bar per request (or per group of requests past --max-bars).",
      "timeline_svg"};
  std::vector<std::string> wanted;  // LABEL=FILE, in the order given
  std::string title = "One bar per request, on one time axis", output;
  std::size_t max_bars = 40;
  const CLI::Validator label_equals_file(
      [](const std::string& value) {
        const std::size_t equals = value.find('=');
        bool good = equals != std::string::npos && equals != 0 && equals + 1 != value.size();
        return good ? std::string() : "wants LABEL=FILE, got " + value;
      },
      "LABEL=FILE");
  app.add_option("--run", wanted, "A run to draw, top to bottom; give two or more to compare")
      ->required()
      ->check(label_equals_file);
  app.add_option("--title", title, "The picture's title")->capture_default_str();
  app.add_option("--output", output, "Where to write the SVG (default: standard output)");
  app.add_option("--max-bars", max_bars, "Past this many requests, a bar per group of requests")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000}));
  if (auto exit_code = common::parse_command_line(app, argc, argv)) return *exit_code;

  try {
    std::vector<Run> runs;
    for (const std::string& run : wanted) {
      const std::size_t equals = run.find('=');
      runs.push_back(read_run(run.substr(0, equals), run.substr(equals + 1)));
    }
    const std::string svg = draw(runs, title, max_bars);
    if (output.empty()) {
      std::cout << svg;
      return 0;
    }
    std::ofstream file(output);
    file << svg;
    if (!file.flush()) throw std::runtime_error("cannot write " + output);
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "timeline_svg: " << error.what() << "\n";
    return 1;
  }
}
