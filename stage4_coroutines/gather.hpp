// gather.hpp: `co_await gather(loop, tasks...)`, asyncio.gather: run tasks concurrently,
// wait for all of them, get their results in order.
//
// Public API:
//   std::vector<T> results = co_await gather(loop, std::move(tasks));  // std::vector<Task<T>>
//   co_await gather(loop, std::move(void_tasks));                      // Task<void>s: nothing back
//   auto [a, b] = co_await gather(loop, task_a(), task_b());   // a std::tuple; a Task<void>
//                                                              // gives std::monostate
// Every task starts at the next turn of the loop, as a task of its own (as asyncio.gather
// wraps each coroutine in a Task). The results come in the order the tasks were given,
// whatever order they finish in. If some fail, gather still waits for all of them, then
// rethrows the exception of the first failed task in that order (asyncio raises the first
// one at once and lets the others run on unwatched; here nobody is left running).
//
// Who owns what. gather takes the tasks (they are moved into its frame) and owns them
// until it returns. Destroying the gather task while it waits (wait_for timing out, say)
// destroys every task it started, finished or not, and with them their timers and fd
// registrations. The JoinAll below lives in gather's frame too; each task's promise
// points at it (a Join), which is safe because the tasks die first or finish first.
#pragma once

#include <coroutine>
#include <cstddef>
#include <exception>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/task.hpp"
#include "stage4_coroutines/waiter.hpp"

namespace stage4 {

namespace detail {

// [docs:stage4-join-all]
// Starts tasks as tasks of their own and resumes the awaiting coroutine when the last one
// has finished: a countdown. Each task's final suspend calls task_done(); all but the last
// return to the loop, the last one jumps straight into the awaiting coroutine.
class JoinAll final : public Join {
 public:
  JoinAll(EventLoop& loop, std::size_t count) : loop_(loop), starts_(count) {}

  template <typename T>
  void add(Task<T>& task) {
    if (!task.valid()) throw std::invalid_argument("gather: an empty task");
    TaskPromiseBase& promise = TaskAccess::promise(task);
    promise.set_join(this);
    Waiter& start = starts_.at(added_++);
    start.handle = TaskAccess::handle(task);
    start.task = &promise;
  }

  bool await_ready() const noexcept { return added_ == 0; }
  void await_suspend(std::coroutine_handle<> awaiting) {
    awaiting_ = awaiting;
    awaiting_task_ = loop_.current_task();
    if (loop_.tracing()) loop_.trace_suspend(std::to_string(added_) + " task(s) (gather)");
    remaining_ = added_;
    for (std::size_t i = 0; i < added_; ++i) {
      loop_.name_if_unnamed(*starts_[i].task);
      loop_.call_soon(starts_[i]);
    }
  }
  void await_resume() const noexcept {}

  std::coroutine_handle<> task_done(TaskPromiseBase& task) noexcept override {
    if (loop_.tracing()) loop_.trace_return(task);
    if (--remaining_ > 0) return std::noop_coroutine();
    loop_.set_current_task(awaiting_task_);  // the awaiting task runs from here on
    return awaiting_;
  }

 private:
  EventLoop& loop_;
  std::vector<Waiter> starts_;  // sized once: Waiters must not move while linked
  std::size_t added_ = 0;
  std::size_t remaining_ = 0;
  std::coroutine_handle<> awaiting_;
  TaskPromiseBase* awaiting_task_ = nullptr;
};
// [/docs]

// Result<T>: what a Task<T> contributes to the tuple of the variadic gather.
template <typename T>
using Result = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <typename T>
Result<T> take(Task<T>& task) {
  if constexpr (std::is_void_v<T>) {
    TaskAccess::take_result(task);
    return {};
  } else {
    return TaskAccess::take_result(task);
  }
}

// The exception of the first task (in order) that failed, or nullptr.
template <typename... Tasks>
std::exception_ptr first_exception(Tasks&... tasks) {
  std::exception_ptr first;
  ((first = first ? first : TaskAccess::promise(tasks).exception()), ...);
  return first;
}

}  // namespace detail

// [docs:stage4-gather]
template <typename T>
auto gather(EventLoop& loop, std::vector<Task<T>> tasks)
    -> Task<std::conditional_t<std::is_void_v<T>, void, std::vector<T>>> {
  detail::JoinAll all(loop, tasks.size());
  for (Task<T>& task : tasks) all.add(task);
  co_await all;  // resumed by the last task to finish

  for (Task<T>& task : tasks) {
    if (auto failure = detail::TaskAccess::promise(task).exception())
      std::rethrow_exception(failure);
  }
  if constexpr (!std::is_void_v<T>) {
    std::vector<T> results;
    results.reserve(tasks.size());
    for (Task<T>& task : tasks) results.push_back(detail::TaskAccess::take_result(task));
    co_return results;
  }
}
// [/docs]

template <typename... T>
Task<std::tuple<detail::Result<T>...>> gather(EventLoop& loop, Task<T>... tasks) {
  detail::JoinAll all(loop, sizeof...(T));
  (all.add(tasks), ...);
  co_await all;

  if (auto failure = detail::first_exception(tasks...)) std::rethrow_exception(failure);
  co_return std::tuple<detail::Result<T>...>(detail::take(tasks)...);
}

}  // namespace stage4
