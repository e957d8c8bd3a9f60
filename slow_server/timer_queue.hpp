// timer_queue.hpp: the server's timers, earliest first.
//
// Every answer, idle check, trickled byte and accept pause is one Timer: "at `due`, do
// `kind` for connection `serial`". A timer names its connection by serial number, never
// by fd or pointer: when a connection closes, its fd number is reused by the next accept
// and its memory is freed, but its serial is never reused, so a late timer finds no
// connection and is simply dropped. Nothing is cancelled; stale timers fall out.
//
// A binary min-heap (std::priority_queue) gives push and pop in O(log n). With one
// constant --delay, answer timers are pushed in due order, so a plain FIFO would
// already be sorted; the heap keeps idle checks and trickle ticks (other delays) right.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <vector>

#include "common/clock.hpp"

namespace slow_server {

enum class TimerKind : std::uint8_t {
  answer,         // the connection's oldest pending answer may be due
  idle_check,     // has the connection been idle for --idle-timeout?
  trickle,        // --fault trickle: write the next byte
  linger_end,     // stop waiting for the client to close after our last write
  accept_resume,  // watch the listener again after EMFILE (serial unused)
  drain_end       // --drain-timeout passed: stop at once (serial unused)
};

struct Timer {
  common::TimePoint due;
  std::uint64_t order = 0;  // ties on `due` keep the order timers were added in
  TimerKind kind = TimerKind::answer;
  std::uint64_t serial = 0;  // the connection's serial number

  friend bool operator>(const Timer& a, const Timer& b) {
    return a.due != b.due ? a.due > b.due : a.order > b.order;
  }
};

class TimerQueue {
 public:
  void add(common::TimePoint due, TimerKind kind, std::uint64_t serial) {
    heap_.push(Timer{due, next_order_++, kind, serial});
  }

  // When the earliest timer is due, if there is one.
  std::optional<common::TimePoint> next_due() const {
    if (heap_.empty()) return std::nullopt;
    return heap_.top().due;
  }

  // Removes and returns the earliest timer if it is due at `now`.
  std::optional<Timer> pop_due(common::TimePoint now) {
    if (heap_.empty() || heap_.top().due > now) return std::nullopt;
    Timer timer = heap_.top();
    heap_.pop();
    return timer;
  }

  std::size_t size() const { return heap_.size(); }

 private:
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> heap_;
  std::uint64_t next_order_ = 0;
};

}  // namespace slow_server
