// sleep_table.cpp: the article's last table, reproduced and extended.
//
// 100,000 tasks that each sleep 10 ms, run by C concurrent workers (C = 100, 1,000,
// 10,000, 100,000). Engines: one std::thread per worker, the stage 3 runtime (hand-rolled
// generators), the stage 4 runtime (C++20 coroutines), and Python's asyncio and uvloop
// measured in the same run. The article's own figures and the ideal (tasks / C x 10 ms)
// stand beside them, and the targets are checked at the end.
//
// Read docs/05-road-to-a-million.md for what the figures teach.
#include <CLI/CLI.hpp>

#include <functional>
#include <iostream>
#include <map>
#include <optional>

#include "bench/machine.hpp"
#include "bench/python_anchor.hpp"
#include "bench/report.hpp"
#include "bench/sleep_work.hpp"

namespace {

using bench::SleepRun;
using bench::SleepWork;

// One row of the table: a run per concurrency (nullopt: not measured at that C).
struct EngineRow {
  std::string name;
  std::string kind;  // "ideal", "article", "C++" or "Python": how the chart draws it
  std::map<int, SleepRun> runs;
};

// The article's figures (seconds; nullopt: "did not finish").
struct ArticleFigure {
  int concurrency;
  std::optional<double> threading, asyncio;
};
constexpr ArticleFigure article[] = {
    {100, 11.834, 11.345}, {1'000, 1.245, 1.139}, {10'000, {}, 0.293}, {100'000, {}, 0.693}};

bool is_articles_experiment(const SleepWork& work) {
  return work.tasks == 100'000 && work.sleep == std::chrono::milliseconds(10);
}

std::vector<EngineRow> reference_rows(const SleepWork& work, const std::vector<int>& concurrency) {
  EngineRow ideal{"ideal (tasks / C x sleep)", "ideal", {}};
  for (int c : concurrency) ideal.runs[c] = {true, work.with_concurrency(c).ideal_seconds(), ""};
  if (!is_articles_experiment(work)) return {ideal};
  EngineRow threading{"article: Python threading", "article", {}};
  EngineRow asyncio{"article: Python asyncio", "article", {}};
  auto as_run = [](std::optional<double> seconds) {
    return seconds ? SleepRun{true, *seconds, ""} : SleepRun{false, 0, "as the article reports"};
  };
  for (const ArticleFigure& figure : article) {
    threading.runs[figure.concurrency] = as_run(figure.threading);
    asyncio.runs[figure.concurrency] = as_run(figure.asyncio);
  }
  return {ideal, threading, asyncio};
}

EngineRow measure(const std::string& name, const SleepWork& work,
                  const std::vector<int>& concurrency,
                  const std::function<SleepRun(const SleepWork&)>& engine) {
  EngineRow row{name, "C++", {}};
  for (int c : concurrency) {
    std::cerr << "  " << name << ", C = " << bench::format_count(c) << "..." << std::flush;
    SleepRun& best = row.runs[c] = engine(work.with_concurrency(c));
    // A run under a second is mostly setting up and tearing down tasks, and the first run in
    // a process also pays for fresh memory (page faults) that later engines reuse: keep the
    // best of three, as Python's timeit does, so the order of the engines does not decide.
    for (int again = 0; again < 2 && best.finished && best.seconds < 1.0; ++again) {
      SleepRun retry = engine(work.with_concurrency(c));
      if (retry.finished && retry.seconds < best.seconds) best = retry;
    }
    std::cerr << " " << (best.finished ? bench::format_seconds(best.seconds) : "did not finish")
              << "\n";
  }
  return row;
}

EngineRow measure_python(const bench::PythonOptions& options, const bench::PythonEngine& engine,
                         const SleepWork& work, const std::vector<int>& concurrency) {
  EngineRow row{engine.name, "Python", {}};
  std::vector<std::string> arguments{"--tasks",      std::to_string(work.tasks),
                                     "--sleep-ms",   std::to_string(work.sleep.count()),
                                     "--time-limit", std::to_string(work.time_limit.count()),
                                     "--concurrency"};
  for (int c : concurrency) arguments.push_back(std::to_string(c));
  std::cerr << "  " << engine.name << ", every C..." << std::flush;
  auto limit = work.time_limit * static_cast<double>(concurrency.size() + 1);
  try {
    bench::Json answer =
        bench::run_python_anchor(options, engine, "sleep_table.py", arguments, limit);
    for (const auto& run : answer.at("rows")) {
      row.runs[run.at("concurrency").get<int>()] = {run.at("finished").get<bool>(),
                                                    bench::get_or(run, "seconds", 0.0),
                                                    bench::get_or(run, "reason", std::string())};
    }
    std::cerr << " done\n";
  } catch (const std::exception& error) {
    for (int c : concurrency) row.runs[c] = {false, 0, error.what()};
    std::cerr << " failed: " << error.what() << "\n";
  }
  return row;
}

std::string cell(bench::Table& table, const EngineRow& row, int concurrency) {
  auto found = row.runs.find(concurrency);
  if (found == row.runs.end()) return "-";
  const SleepRun& run = found->second;
  if (run.finished) return bench::format_seconds(run.seconds);
  if (row.kind == "article") return "did not finish";
  return "did not finish " +
         table.note(row.name + " at C = " + bench::format_count(concurrency) + ": " + run.reason);
}

const SleepRun* find_run(const std::vector<EngineRow>& rows, const std::string& kind_prefix,
                         int concurrency) {
  for (const EngineRow& row : rows) {
    if (row.name.rfind(kind_prefix, 0) != 0) continue;
    auto found = row.runs.find(concurrency);
    if (found != row.runs.end() && found->second.finished) return &found->second;
  }
  return nullptr;
}

// The targets for the stage 4 runtime (on the article's experiment), and stage 3
// within 4x of stage 4 (on any experiment: both ran the same work).
std::vector<bench::Target> check_targets(const std::vector<EngineRow>& rows, const SleepWork& work,
                                         const std::vector<int>& concurrency) {
  std::vector<bench::Target> targets;
  for (int c : {100, 1'000, 10'000, 100'000}) {
    if (!is_articles_experiment(work)) break;
    double goal = c <= 1'000    ? 1.02 * work.with_concurrency(c).ideal_seconds()
                  : c == 10'000 ? 0.12
                                : 0.06;
    bench::Target target{
        "stage 4, C = " + bench::format_count(c), "not measured",
        "<= " + bench::format_seconds(goal) + (c <= 1'000 ? " (ideal + 2 %)" : "")};
    if (const SleepRun* stage4 = find_run(rows, "stage 4", c)) {
      target.figure = bench::format_seconds(stage4->seconds);
      target.met = stage4->seconds <= goal;
    }
    targets.push_back(target);
  }
  for (int c : concurrency) {
    const SleepRun* stage3 = find_run(rows, "stage 3", c);
    const SleepRun* stage4 = find_run(rows, "stage 4", c);
    bench::Target target{"stage 3 / stage 4 (wall), C = " + bench::format_count(c), "not measured",
                         "<= 4x"};
    if (stage3 && stage4) {
      double ratio = stage3->seconds / stage4->seconds;
      char figure[32];
      std::snprintf(figure, sizeof figure, "%.2fx", ratio);
      target.figure = figure;
      target.met = ratio <= 4.0;
    }
    targets.push_back(target);
  }
  return targets;
}

bench::Json to_json(const std::vector<EngineRow>& rows, const SleepWork& work,
                    const std::vector<int>& concurrency, const std::vector<bench::Target>& targets,
                    const bench::Machine& machine) {
  bench::Json engines = bench::Json::array();
  for (const EngineRow& row : rows) {
    bench::Json runs = bench::Json::array();
    for (const auto& [c, run] : row.runs) {
      runs.push_back({{"concurrency", c},
                      {"finished", run.finished},
                      {"seconds", run.finished ? bench::Json(run.seconds) : nullptr},
                      {"reason", run.finished ? nullptr : bench::Json(run.reason)}});
    }
    engines.push_back({{"name", row.name}, {"kind", row.kind}, {"runs", runs}});
  }
  return {{"tasks", work.tasks},        {"sleep_ms", work.sleep.count()},
          {"concurrency", concurrency}, {"load_average", machine.load_average},
          {"engines", engines},         {"targets", bench::targets_json(targets)}};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"The article's table: tasks that each sleep, run by C concurrent workers",
               "sleep_table"};
  app.option_defaults()->always_capture_default();  // --help shows every default
  SleepWork work;
  int sleep_ms = 10;
  double time_limit = 60;
  std::vector<int> concurrency{100, 1'000, 10'000, 100'000};
  std::size_t thread_cap_override = 0;
  std::string results;
  bench::PythonOptions python;
  app.add_option("--tasks", work.tasks, "How many sleeps in all")->check(CLI::PositiveNumber);
  app.add_option("--sleep-ms", sleep_ms, "How long each sleep is")->check(CLI::PositiveNumber);
  app.add_option("--concurrency", concurrency, "The numbers of workers C")
      ->check(CLI::PositiveNumber);
  app.add_option("--time-limit", time_limit, "Seconds before a run counts as not finished");
  app.add_option("--thread-cap", thread_cap_override,
                 "Start at most this many threads (0: as the machine's limits allow)");
  bench::add_results_option(app, results, "sleep_table");
  bench::add_python_options(app, python);
  CLI11_PARSE(app, argc, argv);
  work.sleep = std::chrono::milliseconds(sleep_ms);
  work.time_limit = common::Seconds(time_limit);

  bench::Machine machine = bench::read_machine();
  bench::ThreadCap cap =
      thread_cap_override > 0 ? bench::thread_cap(thread_cap_override) : bench::thread_cap(machine);
  std::cout << bench::header("sleep_table: " + bench::format_count(work.tasks) + " tasks x " +
                                 std::to_string(sleep_ms) + " ms sleep, C concurrent workers",
                             machine)
            << std::flush;

  std::vector<EngineRow> rows = reference_rows(work, concurrency);
  rows.push_back(measure("threads (std::thread)", work, concurrency,
                         [&](const SleepWork& w) { return bench::run_sleep_threads(w, cap); }));
  for (const bench::SleepEngine& engine : bench::sleep_engines())
    rows.push_back(measure(engine.name, work, concurrency, engine.run));
  std::vector<std::string> notes;
  for (const bench::PythonEngine& engine : bench::find_python_engines(python, notes))
    rows.push_back(measure_python(python, engine, work, concurrency));

  std::vector<std::string> headers{"engine"};
  for (int c : concurrency) headers.push_back("C = " + bench::format_count(c));
  bench::Table table(headers);
  for (const EngineRow& row : rows) {
    std::vector<std::string> cells{row.name};
    for (int c : concurrency) cells.push_back(cell(table, row, c));
    table.add_row(cells);
  }
  for (const std::string& note : notes) table.note(note);
  std::cout << "\n" << table.str();

  std::vector<bench::Target> targets = check_targets(rows, work, concurrency);
  std::cout << "\ntargets:\n" << bench::format_targets(targets);
  if (!is_articles_experiment(work)) {
    std::cout << "(stage 4's own targets are checked on the article's experiment: --tasks 100000 "
                 "--sleep-ms 10)\n";
  }
  bench::save_results(results, "sleep_table", to_json(rows, work, concurrency, targets, machine),
                      machine);
  return 0;
}
