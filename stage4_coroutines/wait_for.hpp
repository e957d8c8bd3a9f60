// wait_for.hpp: `co_await wait_for(loop, task, timeout)`, asyncio.wait_for: the task's
// result, or TimeoutError once `timeout` has passed, the task then cancelled.
//
// Public API:
//   T value = co_await wait_for(loop, std::move(task), 300ms);   or throws TimeoutError
//   TimeoutError::timeout()      the timeout that passed
//
// The task runs as a task of its own (it starts at the next turn of the loop); a timer
// runs beside it. Whichever ends first wins:
//   - the task finishes: its final suspend removes the timer and resumes the awaiting
//     coroutine at once, which gets the value (or the task's exception);
//   - the timer fires: the awaiting coroutine resumes, destroys the task and throws.
// Cancelling, in C++, is destroying the frame: the task's locals are destroyed where it
// stopped (a socket closes), and the awaiters in its frame remove their timer and fd
// registration from the loop. Nothing of it is left in the loop, and no code of it runs
// again. (asyncio instead throws CancelledError into the task, which may catch it and
// clean up; a C++ task cleans up in destructors.)
//
// Who owns what: wait_for takes the task (it is moved into wait_for's frame) and owns it
// until it returns; the timer and the task's start Waiter live in the same frame.
#pragma once

#include <chrono>
#include <coroutine>
#include <stdexcept>
#include <utility>

#include "common/client_errors.hpp"
#include "common/clock.hpp"
#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/task.hpp"
#include "stage4_coroutines/waiter.hpp"

namespace stage4 {

// asyncio.TimeoutError; its message is the clients' wording: "timed out after 0.3 s".
class TimeoutError : public std::runtime_error {
 public:
  explicit TimeoutError(Duration timeout)
      : std::runtime_error(common::client_errors::timed_out(common::Seconds(timeout).count())),
        timeout_(timeout) {}
  Duration timeout() const noexcept { return timeout_; }

 private:
  Duration timeout_;
};

namespace detail {

// [docs:stage4-wait-for-race]
// The race between a task and a timer. Awaiting it starts both; it resumes the awaiting
// coroutine with true if the task finished first, false if the timer fired first.
template <typename T>
class Race final : public Join {
 public:
  Race(EventLoop& loop, Task<T> task, Duration timeout)
      : loop_(loop), task_(std::move(task)), timeout_(timeout), timer_(loop) {
    if (!task_.valid()) throw std::invalid_argument("wait_for: an empty task");
  }

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> awaiting) {
    awaiting_ = awaiting;
    awaiting_task_ = loop_.current_task();
    TaskPromiseBase& promise = TaskAccess::promise(task_);
    loop_.name_if_unnamed(promise);
    if (loop_.tracing()) {
      loop_.trace_suspend(loop_.task_name(&promise) + " or " + seconds_text(timeout_) +
                          " (wait_for)");
    }
    promise.set_join(this);
    start_.handle = TaskAccess::handle(task_);
    start_.task = &promise;
    loop_.call_soon(start_);
    timer_.start(loop_.time() + timeout_, awaiting);  // the timer resumes the awaiting coroutine
  }
  bool await_resume() const noexcept { return task_.done(); }

  // The task won: stop the timer (or the wake-up it already queued) and jump back.
  std::coroutine_handle<> task_done(TaskPromiseBase& task) noexcept override {
    if (loop_.tracing()) loop_.trace_return(task);
    timer_.cancel();
    loop_.set_current_task(awaiting_task_);
    return awaiting_;
  }

  // The timer won: the task goes, with everything it had registered in the loop.
  void cancel() noexcept {
    start_.unlink();  // in case it never even started
    task_ = Task<T>();
  }
  T result() { return TaskAccess::take_result(task_); }

 private:
  EventLoop& loop_;
  Task<T> task_;
  Duration timeout_;
  TimerWait timer_;
  Waiter start_;
  std::coroutine_handle<> awaiting_;
  TaskPromiseBase* awaiting_task_ = nullptr;
};
// [/docs]

}  // namespace detail

// [docs:stage4-wait-for]
template <typename T, typename Rep, typename Period>
Task<T> wait_for(EventLoop& loop, Task<T> task, std::chrono::duration<Rep, Period> timeout) {
  detail::Race<T> race(loop, std::move(task), std::chrono::ceil<Duration>(timeout));
  if (!co_await race) {
    race.cancel();
    throw TimeoutError(std::chrono::ceil<Duration>(timeout));
  }
  co_return race.result();
}
// [/docs]

}  // namespace stage4
