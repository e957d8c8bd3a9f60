// wait_for.hpp: `co_await wait_for(loop, std::move(task), 300ms)`, asyncio.wait_for: the
// task's result, or TimeoutError once the timeout has passed, the task then cancelled. In
// C++ that is destroying its frame where it stopped: its locals go (a socket closes), its
// awaiters leave the loop; asyncio instead throws CancelledError into it, which may catch
// it. wait_for's frame owns the task (moved in), the timer and the TaskStart.
#pragma once

#include "common/client_errors.hpp"
#include "stage4_coroutines/event_loop.hpp"

namespace stage4 {

using common::client_errors::TimeoutError;  // asyncio.TimeoutError: "timed out after 0.3 s"

// The race between a task (started when the Race is made) and a timer (set when it is
// awaited): whichever ends first resumes the awaiting coroutine.
class Race final : public Join {
 public:
  Race(EventLoop& loop, TaskPromiseBase& task, std::coroutine_handle<> frame, Duration timeout)
      : timer_(loop, timeout) {
    start_.start(loop, task, frame, this);
  }
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> awaiting) {
    timer_.await_suspend(awaiting);
    awaiting_ = awaiting;
  }
  void await_resume() const noexcept {}
  std::coroutine_handle<> task_done(TaskPromiseBase&) noexcept override {  // the task won
    timer_.cancel();  // (or the wake-up it already queued)
    return awaiting_;
  }

 private:
  TimerWait timer_;
  TaskStart start_;
  std::coroutine_handle<> awaiting_;
};

// [docs:stage4-wait-for]
template <typename T, typename Rep, typename Period>
Task<T> wait_for(EventLoop& loop, Task<T> task, std::chrono::duration<Rep, Period> timeout) {
  const auto limit = std::chrono::ceil<Duration>(timeout);
  {  // a block: the race is over (its timer and TaskStart gone) before the task may go
    Race race(loop, task.startable("wait_for"), task.handle(), limit);
    co_await race;
  }
  if (!task.done()) {
    task = Task<T>();  // the timer won: cancel the task, that is destroy its frame, now
    throw TimeoutError(common::Seconds(limit).count());
  }
  co_return task.result();
}
// [/docs]

}  // namespace stage4
