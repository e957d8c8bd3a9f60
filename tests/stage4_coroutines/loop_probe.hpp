// loop_probe.hpp: what the stage 4 tests (and the exercises' checks) look at inside an
// EventLoop: what is ready, which timers and fds it holds. The loop names LoopProbe its
// friend so that these counters stay out of the lesson's interface.
#pragma once

#include <cstddef>
#include <optional>

#include "stage4_coroutines/event_loop.hpp"

namespace stage4 {

struct LoopProbe {
  // Nothing ready, no timer set, no fd watched: nothing could ever happen.
  static bool idle(const EventLoop& loop) noexcept { return loop.idle(); }
  static bool has_ready(const EventLoop& loop) noexcept { return !loop.ready_.empty(); }
  static std::size_t timer_count(const EventLoop& loop) noexcept {  // deadlines pending
    return loop.timers_.size();
  }
  static std::size_t fd_count(const EventLoop& loop) noexcept { return loop.selector_->size(); }
  static std::optional<TimePoint> next_timer(const EventLoop& loop) {
    if (loop.timers_.empty()) return std::nullopt;
    return loop.timers_.begin()->first;
  }
  static const TaskPromiseBase* current_task(const EventLoop& loop) noexcept {
    return loop.current_task_;
  }
};

}  // namespace stage4
