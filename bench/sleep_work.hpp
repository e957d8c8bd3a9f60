// sleep_work.hpp: the article's experiment, the same for every engine.
//
// `tasks` sleeps of `sleep` each (100,000 x 10 ms) are done by `concurrency` workers that
// take numbers from one shared counter until none are left. With C workers the ideal wall
// time is tasks / C x sleep: 10 s at C = 100, 0.01 s at C = 100,000. What an engine adds
// to the ideal is its cost of starting, switching and ending workers.
#pragma once

#include <chrono>
#include <string>

#include "common/clock.hpp"

namespace bench {

struct SleepWork {
  int tasks = 100'000;
  std::chrono::milliseconds sleep{10};
  int concurrency = 100;
  common::Seconds time_limit{60};  // a run still going after this "did not finish"

  double ideal_seconds() const;
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

}  // namespace bench
