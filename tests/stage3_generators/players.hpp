// players.hpp: what the unit tests of stage 3's players share.
//
// Lifetimes/Counted: a value that counts its constructions and destructions, so a test can
// prove that a coroutine frame released what it captured, exactly once.
// ManualClock/run_with_clock: a clock the test moves by hand, so timer tests take no time.
#pragma once

#include <chrono>

#include "common/clock.hpp"
#include "stage3_generators/event_loop.hpp"

namespace players {

struct Lifetimes {
  int constructed = 0;
  int destroyed = 0;
  int alive() const { return constructed - destroyed; }
};

class Counted {
 public:
  explicit Counted(Lifetimes& lifetimes) : lifetimes_(&lifetimes) { ++lifetimes_->constructed; }
  Counted(const Counted& other) : lifetimes_(other.lifetimes_) { ++lifetimes_->constructed; }
  Counted(Counted&& other) noexcept : lifetimes_(other.lifetimes_) { ++lifetimes_->constructed; }
  Counted& operator=(const Counted&) = delete;
  ~Counted() { ++lifetimes_->destroyed; }

 private:
  Lifetimes* lifetimes_;
};

// Starts at an arbitrary point; moves only when the test says so.
struct ManualClock {
  common::TimePoint now = common::TimePoint{} + std::chrono::hours(1);

  stage3::EventLoop::Now function() {
    return [this] { return now; };
  }
  double seconds_since(common::TimePoint start) const {
    return common::Seconds(now - start).count();
  }
};

// Runs the loop until `future` is done. Whenever nothing is ready to run, the clock jumps
// to the next timer instead of the loop waiting for it in select().
template <typename F>
void run_with_clock(stage3::EventLoop& loop, ManualClock& clock, const F& future) {
  while (!future->done()) {
    if (!loop.has_ready()) {
      if (auto next = loop.next_timer(); next && *next > clock.now) clock.now = *next;
    }
    loop.run_once();
  }
}

}  // namespace players
