// million.cpp: one million concurrent tasks, each sleeping 1 s, on one thread.
//
// The stage 4 runtime runs them (C++20 coroutines: one heap frame each), Python's asyncio
// and uvloop run them as child processes, and the same with threads is shown to be
// impossible: not by trying (a million threads would take every pid on the machine and
// stop every other program), but from the limits the kernel states and what one thread
// measurably costs. Read docs/05-road-to-a-million.md for what the figures teach.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "bench/allocation_counter.hpp"
#include "bench/machine.hpp"
#include "bench/python_anchor.hpp"
#include "bench/report.hpp"
#include "bench/sleep_work.hpp"

namespace {

struct MillionRow {
  std::string name;
  std::string kind;  // "C++", "Python" or "threads"
  bool finished = false;
  double wall_seconds = 0;
  std::size_t peak_rss_bytes = 0;
  double bytes_per_task = 0;
  std::string reason;  // why it did not run
};

// --- stage 4 ----------------------------------------------------------------------------

// The sleep table's experiment with as many workers as tasks: each sleeps once. `allocations`:
// those made while the tasks were created and run.
MillionRow run_stage4(int tasks, std::chrono::milliseconds sleep, bench::Allocations& allocations) {
  std::cerr << "  stage 4 (co_await), " << bench::format_count(tasks) << " tasks..." << std::flush;
  std::size_t baseline = bench::current_rss_bytes();
  bench::restart_allocation_count();
  bench::SleepRun run = bench::run_sleep_stage4({tasks, sleep, tasks, common::Seconds(60)});
  allocations = bench::allocations_so_far();
  std::size_t peak = bench::peak_rss_bytes();
  std::cerr << " " << bench::format_seconds(run.seconds) << "\n";
  return {.name = "stage 4 (co_await)",
          .kind = "C++",
          .finished = run.finished,
          .wall_seconds = run.seconds,
          .peak_rss_bytes = peak,
          .bytes_per_task = static_cast<double>(peak - baseline) / tasks,
          .reason = run.reason};
}

std::string frame_report(const bench::Allocations& allocations, int tasks) {
  char text[512];
  std::snprintf(
      text, sizeof text,
      "a stage 4 task: one coroutine frame of %zu bytes on the heap (%s frames "
      "allocated);\n  all allocations while they ran: %s in %s allocations, "
      "%.0f bytes per task\n",
      allocations.most_common_size,
      bench::format_count(static_cast<long long>(allocations.of_most_common_size)).c_str(),
      bench::format_bytes(static_cast<double>(allocations.bytes)).c_str(),
      bench::format_count(static_cast<long long>(allocations.count)).c_str(),
      static_cast<double>(allocations.bytes) / tasks);
  return text;
}

// --- Python -----------------------------------------------------------------------------

MillionRow run_python(const bench::PythonOptions& options, const bench::PythonEngine& engine,
                      int tasks, std::chrono::milliseconds sleep) {
  std::cerr << "  " << engine.name << ", " << bench::format_count(tasks) << " tasks..."
            << std::flush;
  MillionRow row;
  row.name = engine.name;
  row.kind = "Python";
  try {
    bench::Json answer = bench::run_python_anchor(
        options, engine, "million.py",
        {"--tasks", std::to_string(tasks), "--sleep", std::to_string(sleep.count() / 1000.0)},
        common::Seconds(300));
    row.finished = true;
    row.wall_seconds = answer.at("wall_seconds").get<double>();
    row.peak_rss_bytes = bench::get_or(answer, "peak_rss_bytes", std::size_t{0});
    row.bytes_per_task = answer.at("bytes_per_task").get<double>();
    std::cerr << " " << bench::format_seconds(row.wall_seconds) << "\n";
  } catch (const std::exception& error) {
    row.reason = error.what();
    std::cerr << " failed: " << error.what() << "\n";
  }
  return row;
}

// --- threads ----------------------------------------------------------------------------

// One limit a thread per task runs into: how many threads it allows on this machine.
struct ThreadLimit {
  std::string what;     // "pid_max"
  double allows = 0;    // threads
  std::string because;  // "every thread takes a pid"
};

// [docs:bench-million-threads]
std::vector<ThreadLimit> thread_limits(const bench::Machine& machine,
                                       const bench::ThreadCost& cost) {
  double per_thread_memory = cost.resident_bytes + cost.kernel_stack_bytes;
  return {
      {"pid_max " + bench::format_count(machine.pid_max), static_cast<double>(machine.pid_max),
       "every thread takes a pid, from one pool for the whole machine"},
      {"threads-max " + bench::format_count(machine.threads_max),
       static_cast<double>(machine.threads_max), "the kernel's limit on tasks, system-wide"},
      {"vm.max_map_count " + bench::format_count(machine.max_map_count),
       machine.max_map_count / 2.0, "each thread's stack is 2 mappings (stack + guard page)"},
      {"RAM " + bench::format_bytes(static_cast<double>(machine.ram_bytes)),
       per_thread_memory > 0 ? static_cast<double>(machine.ram_bytes) / per_thread_memory : 0,
       "each thread holds " + bench::format_bytes(per_thread_memory) + " resident (measured)"},
      {"address space for stacks",
       static_cast<double>(1ULL << 47) / static_cast<double>(machine.thread_stack_bytes),
       "each stack reserves " +
           bench::format_bytes(static_cast<double>(machine.thread_stack_bytes)) +
           " of the 128 TiB a process can map"},
  };
}
// [/docs]

std::string thread_report(int tasks, const bench::Machine& machine, const bench::ThreadCost& cost,
                          MillionRow& row) {
  char text[256];
  std::string out = "a thread, measured on " +
                    bench::format_count(static_cast<long long>(cost.threads)) +
                    " waiting threads:\n";
  std::snprintf(text, sizeof text,
                "  %.1f us to create, %s resident in user space, %s of kernel stack, "
                "%s of address space each\n",
                cost.create_seconds * 1e6, bench::format_bytes(cost.resident_bytes).c_str(),
                bench::format_bytes(cost.kernel_stack_bytes).c_str(),
                bench::format_bytes(cost.address_space_bytes).c_str());
  out += text;
  out += "a thread per task for " + bench::format_count(tasks) + " tasks, limit by limit:\n";
  bench::Table table({"limit", "allows at most", "enough?", "why"});
  table.align_left(3);
  std::vector<std::string> stops;  // every limit that is not enough, the first one explained
  for (const ThreadLimit& limit : thread_limits(machine, cost)) {
    std::string allows = bench::format_count(static_cast<long long>(limit.allows)) + " threads";
    bool enough = limit.allows >= tasks;
    table.add_row({limit.what, allows, enough ? "yes" : "NO", limit.because});
    if (!enough)
      stops.push_back(stops.empty()
                          ? limit.what + " allows at most " + allows + " (" + limit.because + ")"
                          : limit.what);
  }
  out += table.str();
  if (!stops.empty()) row.reason = "impossible: " + stops[0];
  for (std::size_t i = 1; i < stops.size(); ++i) row.reason += (i == 1 ? "; " : ", ") + stops[i];
  if (stops.size() > 1) row.reason += stops.size() > 2 ? " stop it too" : " stops it too";
  return out;
}

bench::Json row_json(const MillionRow& row) {
  auto if_finished = [&](auto figure) { return row.finished ? bench::Json(figure) : nullptr; };
  return {{"name", row.name},
          {"kind", row.kind},
          {"finished", row.finished},
          {"wall_seconds", if_finished(row.wall_seconds)},
          {"peak_rss_bytes", row.peak_rss_bytes > 0 ? if_finished(row.peak_rss_bytes) : nullptr},
          {"bytes_per_task", if_finished(row.bytes_per_task)},
          {"reason", row.reason.empty() ? nullptr : bench::Json(row.reason)}};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"One million concurrent tasks that each sleep 1 s, on one thread", "million"};
  app.option_defaults()->always_capture_default();  // --help shows every default
  int tasks = 1'000'000;
  int sleep_ms = 1000;
  std::size_t thread_sample = 1'000;
  std::string results;
  bench::PythonOptions python;
  app.add_option("--tasks", tasks, "How many tasks")->check(CLI::PositiveNumber);
  app.add_option("--sleep-ms", sleep_ms, "How long each task sleeps")->check(CLI::PositiveNumber);
  app.add_option("--thread-sample", thread_sample, "Threads started to measure what one costs")
      ->check(CLI::Range(std::size_t{1}, std::size_t{4'000}));
  bench::add_results_option(app, results, "million");
  bench::add_python_options(app, python);
  CLI11_PARSE(app, argc, argv);
  auto sleep = std::chrono::milliseconds(sleep_ms);

  bench::Machine machine = bench::read_machine();
  std::cout << bench::header("million: " + bench::format_count(tasks) +
                                 " concurrent tasks, each sleeping " + std::to_string(sleep_ms) +
                                 " ms, on one thread",
                             machine)
            << std::flush;

  std::vector<MillionRow> rows;
  std::vector<bench::Target> targets;
  std::string details;
  // First, while this process is small: its peak RSS is then the tasks' doing.
  bench::Allocations allocations;
  MillionRow stage4 = run_stage4(tasks, sleep, allocations);
  rows.push_back(stage4);
  details += frame_report(allocations, tasks);
  if (tasks == 1'000'000 && sleep_ms == 1000) {
    targets.push_back({"stage 4 wall", bench::format_seconds(stage4.wall_seconds), "<= 2.000 s",
                       stage4.finished && stage4.wall_seconds <= 2.0});
    targets.push_back(
        {"stage 4 peak RSS", bench::format_bytes(static_cast<double>(stage4.peak_rss_bytes)),
         "<= 300 MB (286.1 MiB)", stage4.finished && stage4.peak_rss_bytes <= 300'000'000});
  }
  std::vector<std::string> notes;
  for (const bench::PythonEngine& engine : bench::find_python_engines(python, notes))
    rows.push_back(run_python(python, engine, tasks, sleep));

  MillionRow threads;
  threads.name = "threads (std::thread)";
  threads.kind = "threads";
  bench::ThreadCost cost = bench::measure_thread_cost(thread_sample);
  details += thread_report(tasks, machine, cost, threads);
  if (threads.reason.empty()) {  // no limit stops it (a small run): measure it, within our cap
    std::cerr << "  threads (std::thread), " << bench::format_count(tasks) << " threads..."
              << std::flush;
    bench::SleepRun run = bench::run_sleep_threads({tasks, sleep, tasks, common::Seconds(60)},
                                                   bench::thread_cap(machine));
    threads.finished = run.finished;
    threads.wall_seconds = run.seconds;
    threads.reason = run.reason;
    threads.bytes_per_task = cost.resident_bytes + cost.kernel_stack_bytes;  // measured above
    std::cerr << " " << (run.finished ? bench::format_seconds(run.seconds) : run.reason) << "\n";
  }
  rows.push_back(threads);

  bench::Table table({"engine", "tasks", "wall", "peak RSS", "memory per task"});
  bench::Json engines = bench::Json::array();
  for (const MillionRow& row : rows) {
    if (row.finished) {
      std::string peak = row.peak_rss_bytes > 0
                             ? bench::format_bytes(static_cast<double>(row.peak_rss_bytes))
                             : "-";
      table.add_row({row.name, bench::format_count(tasks), bench::format_seconds(row.wall_seconds),
                     peak, bench::format_bytes(row.bytes_per_task)});
    } else {
      table.add_row({row.name, bench::format_count(tasks),
                     "did not run " + table.note(row.name + ": " + row.reason)});
    }
    engines.push_back(row_json(row));
  }
  for (const std::string& note : notes) table.note(note);
  std::cout << "\n" << table.str() << "\n" << details;
  if (!targets.empty()) std::cout << "\ntargets:\n" << bench::format_targets(targets);

  bench::save_results(results, "million",
                      {{"tasks", tasks},
                       {"sleep_ms", sleep_ms},
                       {"load_average", machine.load_average},
                       {"engines", engines},
                       {"frame_bytes", allocations.most_common_size},
                       {"thread_create_seconds", cost.create_seconds},
                       {"thread_resident_bytes", cost.resident_bytes},
                       {"thread_kernel_stack_bytes", cost.kernel_stack_bytes},
                       {"thread_address_space_bytes", cost.address_space_bytes},
                       {"targets", bench::targets_json(targets)}},
                      machine);
  return 0;
}
