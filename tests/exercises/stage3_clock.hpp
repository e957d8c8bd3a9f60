// stage3_clock.hpp: a clock the stage 3 checks move by hand, so that timers take no time
// and "when did it happen" has an exact answer.
#pragma once

#include <chrono>

#include "common/clock.hpp"
#include "stage3_generators/event_loop.hpp"

namespace exercise_check {

class ManualClock {
 public:
  stage3::EventLoop::Now function() {
    return [this] { return now_; };
  }
  void advance(double seconds) {
    now_ += std::chrono::duration_cast<common::Clock::duration>(common::Seconds(seconds));
  }
  void jump_to(common::TimePoint when) { now_ = when; }
  common::TimePoint now() const { return now_; }
  // Seconds since the clock was made.
  double seconds() const { return common::Seconds(now_ - start_).count(); }

 private:
  common::TimePoint start_ = common::TimePoint{} + std::chrono::hours(1);
  common::TimePoint now_ = start_;
};

// Turns the loop until `future` is done. Whenever nothing is ready to run, the clock jumps
// to the next timer instead of the loop waiting for it.
template <typename Future>
void run_with_clock(stage3::EventLoop& loop, ManualClock& clock, const Future& future) {
  while (!future.done()) {
    if (!loop.has_ready()) {
      if (auto next = loop.next_timer(); next && *next > clock.now()) clock.jump_to(*next);
    }
    loop.run_once();
  }
}

}  // namespace exercise_check
