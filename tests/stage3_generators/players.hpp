// players.hpp: what the unit tests of stage 3's players share.
//
// Lifetimes/Counted (tests/support/lifetimes.hpp): prove a frame released what it captured.
// ManualClock/run_with_clock: a clock the test moves by hand, so timer tests take no time.
#pragma once

#include <chrono>

#include "common/clock.hpp"
#include "stage3_generators/event_loop.hpp"
#include "stage3_generators/gather.hpp"
#include "stage3_generators/task.hpp"
#include "tests/support/lifetimes.hpp"

namespace players {

using test_support::Counted;
using test_support::Lifetimes;

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
