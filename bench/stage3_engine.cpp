// stage3_engine.cpp: the sleep experiment on stage 3's runtime: each worker a generator
// that yields the futures it waits for, each driven by a Task, gather() over them all.
#include "bench/sleep_engines.hpp"

#include <memory>
#include <vector>

#include "stage3_generators/event_loop.hpp"
#include "stage3_generators/gather.hpp"
#include "stage3_generators/generator.hpp"
#include "stage3_generators/task.hpp"

namespace bench {

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

}  // namespace bench
