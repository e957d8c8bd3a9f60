// sleep_work.cpp: the sleep experiment on threads, on stage 3's runtime and on stage 4's.
#include "bench/sleep_work.hpp"

#include <algorithm>
#include <cstdio>
#include <latch>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

#include "bench/report.hpp"
#include "stage3_generators/event_loop.hpp"
#include "stage3_generators/gather.hpp"
#include "stage3_generators/generator.hpp"
#include "stage3_generators/task.hpp"
#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/gather.hpp"
#include "stage4_coroutines/task.hpp"

namespace bench {

double SleepWork::ideal_seconds() const {
  int rounds = (tasks + concurrency - 1) / concurrency;  // a worker that took more than its share
  return rounds * common::Seconds(sleep).count();
}

SleepRun SleepCounter::result(const SleepWork& work, common::TimePoint start) const {
  SleepRun run;
  run.seconds = common::Seconds(common::Clock::now() - start).count();
  run.finished = taken_ == work.tasks;
  if (!run.finished && common::Clock::now() > deadline_) {
    char text[96];
    std::snprintf(text, sizeof text, "the time limit of %g s passed", work.time_limit.count());
    run.reason = text;
  }
  return run;
}

// --- threads ------------------------------------------------------------------------------

ThreadCap thread_cap(const Machine& machine) {
  // Half of what the kernel allows at most: the rest of the machine needs pids too.
  long cap = 16'000;
  for (long limit : {machine.pid_max / 2, machine.threads_max / 2, machine.max_map_count / 4})
    if (limit > 0) cap = std::min(cap, limit);
  return {static_cast<std::size_t>(cap), "capped at " + format_count(cap) + " threads (pid_max " +
                                             std::to_string(machine.pid_max) + ", threads-max " +
                                             std::to_string(machine.threads_max) + ")"};
}

ThreadCap thread_cap(std::size_t threads) {
  return {threads,
          "capped at " + format_count(static_cast<long long>(threads)) + " threads (--thread-cap)"};
}

// [docs:bench-thread-worker]
SleepRun run_sleep_threads(const SleepWork& work, const ThreadCap& cap) {
  if (static_cast<std::size_t>(work.concurrency) > cap.threads) return {false, 0, cap.reason};

  auto start = common::Clock::now();
  SleepCounter counter(work, start);
  std::mutex mutex;  // guards counter: every thread takes its numbers from it
  auto take = [&] {
    std::lock_guard lock(mutex);
    return counter.take();
  };
  auto worker = [&] {
    while (take()) std::this_thread::sleep_for(work.sleep);
  };

  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(work.concurrency));
  std::string failure;
  for (int i = 0; i < work.concurrency && failure.empty(); ++i) {
    try {
      threads.emplace_back(worker);
    } catch (const std::system_error& error) {  // the kernel had no thread left for us
      failure = "thread " + format_count(i + 1) + " could not be created: " + error.what();
      std::lock_guard lock(mutex);
      counter.cancel();  // the threads already running stop taking numbers
    }
  }
  for (std::thread& thread : threads) thread.join();

  std::lock_guard lock(mutex);
  SleepRun run = counter.result(work, start);
  if (!failure.empty()) run = {false, run.seconds, failure};
  return run;
}
// [/docs]

ThreadCost measure_thread_cost(std::size_t threads) {
  std::size_t resident = current_rss_bytes();
  std::size_t kernel = kernel_stacks_bytes();
  std::size_t mapped = address_space_bytes();
  std::latch release(1);
  std::vector<std::thread> waiting;
  waiting.reserve(threads);
  auto start = common::Clock::now();
  for (std::size_t i = 0; i < threads; ++i) waiting.emplace_back([&release] { release.wait(); });
  double created = common::Seconds(common::Clock::now() - start).count();

  auto each = [threads](std::size_t before, std::size_t after) {
    return after > before ? static_cast<double>(after - before) / static_cast<double>(threads) : 0;
  };
  ThreadCost cost{threads, created / static_cast<double>(threads),
                  each(resident, current_rss_bytes()), each(kernel, kernel_stacks_bytes()),
                  each(mapped, address_space_bytes())};
  release.count_down();
  for (std::thread& thread : waiting) thread.join();
  return cost;
}

// --- stage 3 ------------------------------------------------------------------------------
// Each worker a generator that yields the futures it waits for, each driven by a Task,
// gather() over them all.

namespace {

// [docs:bench-stage3-worker]
stage3::Generator<stage3::FuturePtr, void> worker(stage3::EventLoop& loop, SleepCounter& counter,
                                                  double sleep_seconds) {
  while (counter.take()) co_yield stage3::sleep(loop, sleep_seconds);
}
// [/docs]

}  // namespace

SleepRun run_sleep_stage3(const SleepWork& work) {
  stage3::EventLoop loop;
  auto start = common::Clock::now();
  SleepCounter counter(work, start);
  std::vector<std::shared_ptr<stage3::Task<void>>> workers;
  workers.reserve(static_cast<std::size_t>(work.concurrency));
  for (int i = 0; i < work.concurrency; ++i)
    workers.push_back(loop.create_task(worker(loop, counter, common::Seconds(work.sleep).count())));
  loop.run_until_complete(stage3::gather(workers));
  return counter.result(work, start);
}

// --- stage 4 ------------------------------------------------------------------------------
// The same program as the Python anchor (bench/python/sleep_table.py), line for line:
// workers are coroutines, gather() runs them all, the loop runs gather.

namespace {

// [docs:bench-stage4-worker]
// One worker's frame holds `loop`, `counter` and `sleep` (references and a duration), the
// promise, and the awaiter of the co_await it is suspended at (with its timer's links
// into the loop). That frame, on the heap, is all a sleeping task costs.
stage4::Task<void> worker(stage4::EventLoop& loop, SleepCounter& counter,
                          std::chrono::milliseconds sleep) {
  while (counter.take()) co_await stage4::sleep(loop, sleep);
}

stage4::Task<void> all_workers(stage4::EventLoop& loop, SleepCounter& counter, int concurrency,
                               std::chrono::milliseconds sleep) {
  std::vector<stage4::Task<void>> workers;
  workers.reserve(static_cast<std::size_t>(concurrency));
  for (int i = 0; i < concurrency; ++i) workers.push_back(worker(loop, counter, sleep));
  co_await stage4::gather(loop, std::move(workers));  // gather owns them now
}
// [/docs]

}  // namespace

SleepRun run_sleep_stage4(const SleepWork& work) {
  stage4::EventLoop loop;
  auto start = common::Clock::now();
  SleepCounter counter(work, start);
  loop.run_until_complete(all_workers(loop, counter, work.concurrency, work.sleep));
  return counter.result(work, start);
}

}  // namespace bench
