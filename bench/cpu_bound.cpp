// cpu_bound.cpp: CPU-bound work, measured in C++: the seed experiment of
// docs/cpu-bound-work.md. For each of twenty numbers n near 10,000,000, the sum of i * i for
// 0 <= i < n: Python's `sum(i * i for i in range(n))`, which took the article's author
// 16.0 s in one thread, 7.3 s with ProcessPoolExecutor and 5.0 s with multiprocessing.Pool.
//
// The same work on one thread, on stage 4's loop (one task per number, with and without
// giving the loop a turn now and then), on a pool of threads and on processes (fork). A task
// that wants a turn every 10 ms shares the loop with the sums: how late it gets its turns is
// what the CPU work costs every other request on that loop.
#include <CLI/CLI.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "bench/machine.hpp"
#include "bench/report.hpp"
#include "common/fd.hpp"
#include "stage4_coroutines/extras/background_tasks.hpp"
#include "stage4_coroutines/extras/loop_trace.hpp"
#include "stage4_coroutines/gather.hpp"

namespace {

// The sums reach 3.3e20, past 64 bits (Python's ints grow): GCC's and Clang's 128-bit type.
__extension__ typedef unsigned __int128 Sum;
using Sums = std::vector<Sum>;  // one per number, in the numbers' order

// [docs:cpu-bound-squares]
// The sum of i * i for from <= i < to: one slice of one number's work.
Sum squares(long from, long to) {
  Sum sum = 0;
  for (long i = from; i < to; ++i) sum += static_cast<Sum>(i * i);
  return sum;
}
// [/docs]

// The numbers this worker takes out of `count`: worker k of w takes k, k + w, k + 2w...
// A fixed split is fair here: every number costs nearly the same.
template <typename Each>
void my_share(int worker, int workers, int count, Each each) {
  for (int index = worker; index < count; index += workers) each(index);
}

// --- the engines: each computes every sum, its own way --------------------------------

Sums one_thread(const std::vector<long>& numbers) {
  Sums sums;
  for (long n : numbers) sums.push_back(squares(0, n));
  return sums;
}

// [docs:cpu-bound-threads]
Sums threads(const std::vector<long>& numbers, int workers) {
  Sums sums(numbers.size());
  std::vector<std::thread> pool;
  for (int k = 0; k < workers; ++k) {
    pool.emplace_back([&, k] {  // each writes only its own elements of `sums`
      my_share(k, workers, static_cast<int>(numbers.size()),
               [&](int i) { sums[i] = squares(0, numbers[i]); });
    });
  }
  for (std::thread& thread : pool) thread.join();
  return sums;
}
// [/docs]

Sums processes(const std::vector<long>& numbers, int workers) {
  struct Answer {  // what a child writes back through the pipe, per number
    int index;
    Sum sum;
  };
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe: " + common::errno_text(errno));
  common::Fd from_children(pipe_fds[0]), to_parent(pipe_fds[1]);
  std::vector<pid_t> children;
  for (int k = 0; k < workers; ++k) {
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork: " + common::errno_text(errno));
    if (pid == 0) {  // the child: its share, each answer in one write (below PIPE_BUF: whole)
      my_share(k, workers, static_cast<int>(numbers.size()), [&](int i) {
        Answer answer{i, squares(0, numbers[i])};
        if (::write(to_parent.get(), &answer, sizeof answer) != sizeof answer) ::_exit(1);
      });
      ::_exit(0);
    }
    children.push_back(pid);
  }
  to_parent.reset();  // the parent reads until every child has closed its end
  Sums sums(numbers.size());
  for (Answer answer; ::read(from_children.get(), &answer, sizeof answer) == sizeof answer;)
    sums[answer.index] = answer.sum;
  for (pid_t child : children) {
    int status = 0;
    ::waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      throw std::runtime_error("a worker process failed");
  }
  return sums;
}

using namespace std::chrono_literals;

// [docs:cpu-bound-sum-task]
// One number as a task on the loop: the whole sum in one step (slice 0), or in slices with
// a turn for the others after each: asyncio's `await asyncio.sleep(0)`.
stage4::Task<void> sum_task(stage4::EventLoop& loop, long n, long slice, Sum& sum) {
  if (slice == 0) slice = n;
  for (long from = 0; from < n; from += slice) {
    if (from > 0) co_await stage4::sleep(loop, 0s);
    sum += squares(from, std::min(n, from + slice));
  }
}
// [/docs]

// Every number as a task, gathered.
stage4::Task<void> all_sums(stage4::EventLoop& loop, const std::vector<long>& numbers, long slice,
                            Sums& sums) {
  std::vector<stage4::Task<void>> tasks;
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    tasks.push_back(sum_task(loop, numbers[i], slice, sums[i]));
    loop.set_name(tasks.back(), "sum " + bench::format_count(numbers[i]));
  }
  co_await stage4::gather(loop, std::move(tasks));
  co_await stage4::sleep(loop, 0s);  // one more turn: a timer that fell due meanwhile runs
}

// Another task on the same loop that wants a turn every 10 ms, like a request whose answer
// came in: how late its turns come is how long the loop was not there for anyone.
stage4::Task<void> ticker(stage4::EventLoop& loop, stage4::Duration& late) {
  for (;;) {
    common::TimePoint due = loop.time() + 10ms;
    co_await stage4::sleep(loop, 10ms);
    late = std::max(late, stage4::Duration(common::Clock::now() - due));
  }
}

struct LoopRun {
  Sums sums;
  double late_seconds = 0;   // the ticker's latest turn
  std::string debug_output;  // what --debug said
};

LoopRun on_loop(const std::vector<long>& numbers, long slice, stage4::Duration slow_step) {
  std::ostringstream debug_output;
  stage4::LoopTrace trace({.debug = true, .slow_step = slow_step, .log = &debug_output});
  stage4::EventLoop loop({.observer = &trace});
  LoopRun run;
  run.sums.resize(numbers.size());
  stage4::Duration late{};
  {
    stage4::BackgroundTasks background(loop);  // the ticker's owner: it goes when the sums end
    background.create_task(ticker(loop, late));
    loop.run_until_complete(all_sums(loop, numbers, slice, run.sums));
  }
  run.late_seconds = common::Seconds(late).count();
  run.debug_output = debug_output.str();
  return run;
}

// --- measuring -------------------------------------------------------------------------

double cpu_seconds() {  // this process's threads, and its children that were waited for
  double total = 0;
  for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    rusage usage{};
    ::getrusage(who, &usage);
    for (const timeval& t : {usage.ru_utime, usage.ru_stime}) total += t.tv_sec + t.tv_usec / 1e6;
  }
  return total;
}

struct Row {
  std::string name;
  int workers = 1;
  double wall = 0, cpu = 0;
  std::optional<double> late;  // the loop rows: the ticker's latest turn
};

// Runs `engine` `runs` times and keeps the fastest (as timeit does: the slower runs are the
// ones something else got in the way of). Every sum is checked against n(n-1)(2n-1)/6.
Row measure(const std::string& name, int workers, int runs, const std::vector<long>& numbers,
            const std::function<Sums()>& engine) {
  std::cerr << "  " << name << "..." << std::flush;
  Row best{name, workers, 1e300, 0, {}};
  for (int i = 0; i < runs; ++i) {
    double cpu_before = cpu_seconds();
    auto start = common::Clock::now();
    Sums sums = engine();
    double wall = common::Seconds(common::Clock::now() - start).count();
    for (std::size_t k = 0; k < numbers.size(); ++k) {
      Sum n = static_cast<Sum>(numbers[k]);
      if (sums[k] != n * (n - 1) * (2 * n - 1) / 6)
        throw std::runtime_error(name + ": a wrong sum for " + std::to_string(numbers[k]));
    }
    if (wall < best.wall) best.wall = wall, best.cpu = cpu_seconds() - cpu_before;
  }
  std::cerr << " " << bench::format_seconds(best.wall) << "\n";
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"CPU-bound work: the sum of squares below twenty numbers, four ways", "cpu_bound"};
  app.option_defaults()->always_capture_default();  // --help shows every default
  long base = 10'000'000;
  int count = 20;
  int workers = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  int runs = 5;
  long slice = 100'000;
  double slow_step_ms = 1;
  std::string results;
  app.add_option("--base", base, "The first number; the others follow it")
      ->check(CLI::Range(1L, 1'000'000'000L));
  app.add_option("--count", count, "How many numbers")->check(CLI::Range(1, 1'000));
  app.add_option("--workers", workers, "Threads and processes (default: one per core)")
      ->check(CLI::Range(1, 256));
  app.add_option("--runs", runs, "Runs per engine; the fastest is kept")->check(CLI::Range(1, 100));
  app.add_option("--slice", slice, "Squares per step when a task gives the loop turns")
      ->check(CLI::PositiveNumber);
  app.add_option("--slow-step-ms", slow_step_ms, "What the loop's --debug calls a slow step")
      ->check(CLI::PositiveNumber);
  bench::add_results_option(app, results, "cpu_bound");
  CLI11_PARSE(app, argc, argv);
  std::vector<long> numbers;
  for (int i = 0; i < count; ++i) numbers.push_back(base + i);

  bench::Machine machine = bench::read_machine();
  std::cout << bench::header("cpu_bound: for each of " + std::to_string(count) +
                                 " numbers n from " + bench::format_count(base) +
                                 ", the sum of i * i for i < n",
                             machine)
            << std::flush;

  std::vector<Row> rows;
  rows.push_back(measure("one thread, one after another", 1, runs, numbers,
                         [&] { return one_thread(numbers); }));
  std::string debug_report;
  auto slow_step = std::chrono::duration_cast<stage4::Duration>(
      std::chrono::duration<double, std::milli>(slow_step_ms));
  for (long step : {0L, slice}) {
    LoopRun last;
    std::string name = step == 0
                           ? "stage 4 loop, a task per number"
                           : "stage 4 loop, a turn every " + bench::format_count(step) + " squares";
    Row row = measure(name, 1, runs, numbers, [&] {
      last = on_loop(numbers, step, slow_step);
      return last.sums;
    });
    row.late = last.late_seconds;  // (the last run's)
    rows.push_back(row);
    std::string first = last.debug_output.substr(0, last.debug_output.find('\n'));
    long warnings = std::count(last.debug_output.begin(), last.debug_output.end(), '\n');
    debug_report += "  " + row.name + ": " + std::to_string(warnings) +
                    (warnings == 1 ? " warning" : " warnings") +
                    (first.empty() ? "" : ", the first:\n    " + first) + "\n";
  }
  rows.push_back(measure("threads (std::thread)", workers, runs, numbers,
                         [&] { return threads(numbers, workers); }));
  rows.push_back(measure("processes (fork)", workers, runs, numbers,
                         [&] { return processes(numbers, workers); }));

  bench::Table table({"engine", "workers", "wall", "CPU", "speed-up", "loop stalled"});
  bench::Json engines = bench::Json::array();
  for (const Row& row : rows) {
    char speed_up[32];
    std::snprintf(speed_up, sizeof speed_up, "%.2fx", rows[0].wall / row.wall);
    table.add_row({row.name, std::to_string(row.workers), bench::format_seconds(row.wall),
                   bench::format_seconds(row.cpu), speed_up,
                   row.late ? bench::format_seconds(*row.late) : "-"});
    engines.push_back({{"name", row.name},
                       {"workers", row.workers},
                       {"wall_seconds", row.wall},
                       {"cpu_seconds", row.cpu},
                       {"loop_stalled_seconds", row.late ? bench::Json(*row.late) : nullptr}});
  }
  std::cout << "\n" << table.str();
  if (base == 10'000'000 && count == 20) {
    std::cout << "the article, in Python on its author's machine: one thread 16.0 s, "
                 "ProcessPoolExecutor 7.3 s, multiprocessing.Pool 5.0 s\n";
  }
  std::cout << "(loop stalled: the longest a task that wanted a turn every 10 ms waited past "
               "its time)\n";
  std::cout << "\nstage 4's --debug on those loops (slow step: more than " << slow_step_ms
            << " ms without yielding):\n"
            << debug_report;
  bench::save_results(results, "cpu_bound",
                      {{"base", base},
                       {"count", count},
                       {"workers", workers},
                       {"load_average", machine.load_average},
                       {"engines", engines}},
                      machine);
  return 0;
}
