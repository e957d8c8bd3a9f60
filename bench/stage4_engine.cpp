// stage4_engine.cpp: the sleep experiment on stage 4's runtime. The same program as the
// Python anchor (bench/python/sleep_table.py), line for line: workers are coroutines,
// gather() runs them all, the loop runs gather.
#include "bench/sleep_engines.hpp"

#include <vector>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/gather.hpp"
#include "stage4_coroutines/task.hpp"

namespace bench {

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
