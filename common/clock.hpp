// clock.hpp: the one clock every loop, timer and report uses.
//
// steady_clock never jumps (wall-clock time can, when NTP adjusts it), so a deadline
// computed from it is a deadline. Seconds is a double, as in Python's time.monotonic().
#pragma once

#include <chrono>

namespace common {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Seconds = std::chrono::duration<double>;

}  // namespace common
