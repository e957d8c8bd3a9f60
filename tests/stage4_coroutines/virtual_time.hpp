// virtual_time.hpp: a clock the stage 4 tests move by hand, and the loop's run functions
// on it. The loop reads the clock through LoopOptions::now; whenever nothing is ready to
// run, these helpers jump the clock to the next timer instead of letting the loop wait for
// it, so a test of sleep(1h) takes no real time. Sockets are still real: each turn looks
// at them without waiting.
#pragma once

#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/extras/background_tasks.hpp"
#include "stage4_coroutines/task.hpp"
#include "tests/stage4_coroutines/loop_probe.hpp"

namespace stage4_test {

using stage4::Duration;
using stage4::EventLoop;
using stage4::Task;
using stage4::TimePoint;

class VirtualClock {
 public:
  std::function<TimePoint()> function() {
    return [this] { return now_; };
  }
  TimePoint now() const noexcept { return now_; }
  void advance(Duration by) noexcept { now_ += by; }

 private:
  TimePoint now_ = TimePoint{} + std::chrono::hours(1);
};

// Turns `loop` until done() says so; throws std::logic_error if nothing can happen.
template <typename Done>
void run_virtual(EventLoop& loop, VirtualClock& clock, Done done) {
  while (!done()) {
    if (stage4::LoopProbe::idle(loop))
      throw std::logic_error("run_virtual: nothing is ready, no timer, no fd: it would hang");
    loop.run_once(Duration::zero());
    if (auto next = stage4::LoopProbe::next_timer(loop);
        next && !stage4::LoopProbe::has_ready(loop) && *next > clock.now())
      clock.advance(*next - clock.now());
  }
}

inline void run_until_idle(EventLoop& loop, VirtualClock& clock) {
  run_virtual(loop, clock, [&] { return stage4::LoopProbe::idle(loop); });
}

// In real time: turns `loop` until nothing is ready, no timer is set, no fd is watched.
inline void run_until_idle(EventLoop& loop) {
  while (!stage4::LoopProbe::idle(loop)) loop.run_once();
}

// EventLoop::run_until_complete in virtual time: the task runs as a background task.
template <typename T>
T run_until_complete(EventLoop& loop, VirtualClock& clock, Task<T> task) {
  using Value = std::conditional_t<std::is_void_v<T>, std::monostate, T>;
  std::optional<Value> value;
  std::exception_ptr failure;
  bool done = false;
  auto keep = [](Task<T> inner, std::optional<Value>& out, std::exception_ptr& error,
                 bool& finished) -> Task<void> {
    try {
      if constexpr (std::is_void_v<T>) {
        co_await std::move(inner);
        out.emplace();
      } else {
        out.emplace(co_await std::move(inner));
      }
    } catch (...) {
      error = std::current_exception();
    }
    finished = true;
  };
  stage4::BackgroundTasks background(loop);
  background.create_task(keep(std::move(task), value, failure, done));
  run_virtual(loop, clock, [&] { return done; });
  if (failure) std::rethrow_exception(failure);
  if constexpr (!std::is_void_v<T>) return std::move(*value);
}

}  // namespace stage4_test
