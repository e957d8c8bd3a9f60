// sleep_work.hpp: the article's experiment, the same for every engine, and the engines
// that run it (sleep_work.cpp): one std::thread per worker, stage 3's hand-rolled
// Generator/Task/EventLoop, and stage 4's C++20 coroutines. The two stage runtimes run every
// worker on one thread, in one event loop, as asyncio does.
//
// `tasks` sleeps of `sleep` each (100,000 x 10 ms) are done by `concurrency` workers that
// take numbers from one shared counter until none are left. With C workers the ideal wall
// time is tasks / C x sleep: 10 s at C = 100, 0.01 s at C = 100,000. What an engine adds
// to the ideal is its cost of starting, switching and ending workers.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "bench/machine.hpp"
#include "common/clock.hpp"

namespace bench {

struct SleepWork {
  int tasks = 100'000;
  std::chrono::milliseconds sleep{10};
  int concurrency = 100;
  common::Seconds time_limit{60};  // a run still going after this "did not finish"

  double ideal_seconds() const;
  // The same work for `workers` workers.
  SleepWork with_concurrency(int workers) const {
    SleepWork work = *this;
    work.concurrency = workers;
    return work;
  }
};

struct SleepRun {
  bool finished = false;
  double seconds = 0;
  std::string reason;  // why it did not finish
};

// The counter workers take numbers from. take() says yes until every task is taken, or
// the time limit has passed, or cancel() was called. Not thread-safe by itself: the
// coroutine engines run every worker on one thread; the thread engine adds a mutex.
class SleepCounter {
 public:
  SleepCounter(const SleepWork& work, common::TimePoint start)
      : tasks_(work.tasks),
        deadline_(start + std::chrono::duration_cast<common::Clock::duration>(work.time_limit)) {}

  bool take() {
    if (taken_ == tasks_) return false;
    // Reading the clock costs ~25-50 ns: at C = 100,000 that would be a tenth of the
    // ideal time. Every 1,024th number is often enough for a limit counted in seconds.
    if (taken_ % 1024 == 0 && common::Clock::now() > deadline_) return false;
    ++taken_;
    return true;
  }
  void cancel() { tasks_ = taken_; }
  // Whether every task was taken, and the reason if not.
  SleepRun result(const SleepWork& work, common::TimePoint start) const;

 private:
  int taken_ = 0;
  int tasks_;
  common::TimePoint deadline_;
};

// A thread is a kernel task: it takes a pid from the machine-wide pool (pid_max: 32768
// here, 4194304 where systemd sets it), a kernel stack, two memory mappings (its stack and
// a guard page), and a user stack of 8 MiB of address space. Creating threads until the
// system refuses would take every pid, and every other program on the machine (your
// shell's next command included) could no longer start a process. So the thread engine
// never asks for more than a cap well below those limits, and reports the cap as the
// reason a run did not finish.
struct ThreadCap {
  std::size_t threads = 0;
  std::string reason;  // why a run past `threads` workers is not tried
};
// min(16,000, pid_max / 2, threads-max / 2, max_map_count / 4); the reason names the
// kernel's limits: "capped at 16,000 threads (pid_max 32768, threads-max 192730)".
ThreadCap thread_cap(const Machine& machine);
// A cap given on the command line (for tests).
ThreadCap thread_cap(std::size_t threads);

SleepRun run_sleep_threads(const SleepWork& work, const ThreadCap& cap);

// What one thread costs, measured by starting `threads` threads that wait, then
// releasing them.
struct ThreadCost {
  std::size_t threads = 0;
  double create_seconds = 0;       // to create one
  double resident_bytes = 0;       // our RSS grows by this much per thread
  double kernel_stack_bytes = 0;   // the kernel's memory for its stack
  double address_space_bytes = 0;  // mapped (mostly its 8 MiB stack, not resident)
};
ThreadCost measure_thread_cost(std::size_t threads);

// Every worker a stage3::Task on one EventLoop.
SleepRun run_sleep_stage3(const SleepWork& work);
// Every worker a stage4::Task on one EventLoop; `million` runs it with as many workers as
// tasks.
SleepRun run_sleep_stage4(const SleepWork& work);

struct SleepEngine {
  std::string name;  // "stage 4 (co_await)"
  std::function<SleepRun(const SleepWork&)> run;
};

inline std::vector<SleepEngine> sleep_engines() {
  return {{"stage 3 (generators)", run_sleep_stage3}, {"stage 4 (co_await)", run_sleep_stage4}};
}

}  // namespace bench
