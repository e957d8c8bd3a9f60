// stage4_virtual_loop.hpp: what the stage 4 checks run their rules on: a loop on a clock
// they move by hand (tests/stage4_coroutines/virtual_time.hpp: timers take no time, and
// "when did it happen" has an exact answer), and the check that a run left nothing behind.
#pragma once

#include <doctest/doctest.h>

#include "common/clock.hpp"
#include "stage4_coroutines/event_loop.hpp"
#include "tests/stage4_coroutines/loop_probe.hpp"
#include "tests/stage4_coroutines/virtual_time.hpp"

namespace exercise_check {

struct VirtualLoop {
  stage4_test::VirtualClock clock;
  stage4::EventLoop loop{{.now = clock.function()}};
  common::TimePoint start = clock.now();

  // Seconds on the virtual clock since the loop was made.
  double seconds() const { return common::Seconds(clock.now() - start).count(); }
  // No timer, nothing ready, no fd: every task the run started has ended or been destroyed.
  void check_loop_is_empty() const {
    CHECK(stage4::LoopProbe::timer_count(loop) == 0);
    CHECK(!stage4::LoopProbe::has_ready(loop));
    CHECK(stage4::LoopProbe::fd_count(loop) == 0);
  }
};

}  // namespace exercise_check
