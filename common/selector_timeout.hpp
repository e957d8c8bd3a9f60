// selector_timeout.hpp: select()'s timeout as the kernel's timespec, for the three backends.
//
// A loop asks select() to wait until its next timer is due, which is often less than a
// millisecond away. epoll_wait and poll count in whole milliseconds, so every wake-up would be
// rounded: up, and 1,000 sleeps of 10 ms would take up to 11 s; down, and the caller would
// wake early and spin until its deadline. So every backend waits with a call that takes a
// timespec (nanoseconds): epoll_pwait2 (or a timerfd), ppoll (macOS has none: poll, then a
// sleep), pselect. The kernel never ends such a wait early; Linux may end it a little late
// (a thread's timer slack, 50 us by default).
#pragma once

#include <time.h>

#include <algorithm>
#include <chrono>

namespace common {

// A timeout of zero or less is zero: just look. Nanoseconds fit exactly: nothing to round.
inline timespec to_timespec(std::chrono::nanoseconds timeout) {
  const auto ns = std::max(timeout, std::chrono::nanoseconds::zero()).count();
  return {static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
}

}  // namespace common
