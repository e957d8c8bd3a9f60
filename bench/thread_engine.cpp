#include "bench/thread_engine.hpp"

#include <algorithm>
#include <latch>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "bench/report.hpp"

namespace bench {

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

}  // namespace bench
