#include "bench/sleep_work.hpp"

#include <cstdio>

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

}  // namespace bench
