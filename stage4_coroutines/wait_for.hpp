// wait_for.hpp: `co_await wait_for(loop, std::move(task), 300ms)`, asyncio.wait_for: the
// task's result, or TimeoutError once the timeout has passed, the task then cancelled.
// The task runs as a task of its own, a timer beside it; whichever ends first wins. The
// task: its final suspend removes the timer and jumps back with the value. The timer: the
// awaiting coroutine resumes, destroys the task and throws. Cancelling, in C++, is
// destroying the frame: its locals are destroyed where it stopped (a socket closes), its
// awaiters remove their timer and fd registration; no code of it runs again. (asyncio
// throws CancelledError into the task, which may catch it; C++ cleans up in destructors.)
// Who owns what: wait_for's frame owns the task (moved in), the timer and the TaskStart.
#pragma once

#include <chrono>
#include <coroutine>
#include <stdexcept>
#include <utility>

#include "common/client_errors.hpp"
#include "stage4_coroutines/event_loop.hpp"

namespace stage4 {

// asyncio.TimeoutError; its message is the clients' wording: "timed out after 0.3 s".
class TimeoutError : public std::runtime_error {
 public:
  explicit TimeoutError(Duration timeout)
      : std::runtime_error(common::client_errors::timed_out(common::Seconds(timeout).count())) {}
};

// [docs:stage4-wait-for-race]
// The race between a task and a timer: awaiting it starts both; it resumes the awaiting
// coroutine with true if the task finished first, false if the timer fired first.
template <typename T>
class Race final : public Join {
 public:
  Race(EventLoop& loop, Task<T> task, Duration timeout)
      : loop_(loop), task_(std::move(task)), timeout_(timeout), timer_(loop), start_(loop) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> awaiting) {
    start_.start(task_.startable("wait_for"), task_.handle(), *this);
    timer_.start(loop_.time() + timeout_, awaiting);  // the timer resumes the awaiting coroutine
    awaiting_ = awaiting;
    awaiting_task_ = loop_.current_task();
  }
  bool await_resume() const noexcept { return task_.done(); }

  std::coroutine_handle<> task_done(TaskPromiseBase&) noexcept override {  // the task won
    timer_.cancel();  // (or the wake-up it already queued)
    loop_.set_current_task(awaiting_task_);
    return awaiting_;
  }
  void cancel_task() noexcept {  // the timer won: the task goes, with all it had in the loop
    start_.unlink();             // in case it never even started
    task_ = Task<T>();
  }
  T result() { return task_.result(); }

 private:
  EventLoop& loop_;
  Task<T> task_;
  Duration timeout_;
  TimerWait timer_;
  TaskStart start_;
  std::coroutine_handle<> awaiting_;
  TaskPromiseBase* awaiting_task_ = nullptr;
};
// [/docs]

// [docs:stage4-wait-for]
template <typename T, typename Rep, typename Period>
Task<T> wait_for(EventLoop& loop, Task<T> task, std::chrono::duration<Rep, Period> timeout) {
  const auto limit = std::chrono::ceil<Duration>(timeout);
  Race<T> race(loop, std::move(task), limit);
  if (!co_await race) {
    race.cancel_task();
    throw TimeoutError(limit);
  }
  co_return race.result();
}
// [/docs]

}  // namespace stage4
