// gather.hpp: `co_await gather(loop, std::move(tasks))`, asyncio.gather: run tasks
// concurrently, wait for all of them, get their results in order.
//
//   std::vector<T> results = co_await gather(loop, std::move(tasks));  // std::vector<Task<T>>
//   co_await gather(loop, std::move(void_tasks));                      // Task<void>s
//
// Every task starts at the next turn of the loop, as a task of its own (as asyncio.gather
// wraps each coroutine in a Task). The results come in the order the tasks were given,
// whatever order they finish in. If some fail, gather still waits for all of them, then
// rethrows the first failure in that order (asyncio raises the first one at once and lets
// the others run on unwatched; here nobody is left running). extras/gather_tuple.hpp
// gathers tasks of different types into a tuple.
//
// Who owns what. gather's frame owns the tasks (they are moved into it) and the JoinAll
// below. Destroying the gather task while it waits (wait_for timing out, say) destroys
// every task it started, and with them their timers and fd registrations. Each task's
// promise points at a TaskStart in JoinAll: safe, because the tasks die or finish first.
#pragma once

#include <coroutine>
#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/task.hpp"

namespace stage4 {

namespace detail {

// [docs:stage4-join-all]
// Starts tasks as tasks of their own and resumes the awaiting coroutine when the last one
// has finished: a countdown. Each task's final suspend calls task_done(); all but the last
// return to the loop, the last one jumps straight into the awaiting coroutine.
class JoinAll final : public Join {
 public:
  JoinAll(EventLoop& loop, std::size_t count) : loop_(loop) { starts_.reserve(count); }

  template <typename T>
  void add(Task<T>& task) {  // it starts at the next turn
    starts_.emplace_back(loop_).start(task, *this, "gather");
    ++remaining_;
  }

  bool await_ready() const noexcept { return remaining_ == 0; }
  void await_suspend(std::coroutine_handle<> awaiting) noexcept {
    awaiting_ = awaiting;
    awaiting_task_ = loop_.current_task();
  }
  void await_resume() const noexcept {}

  std::coroutine_handle<> task_done(TaskPromiseBase&) noexcept override {
    if (--remaining_ > 0) return std::noop_coroutine();
    loop_.set_current_task(awaiting_task_);  // the awaiting task runs from here on
    return awaiting_;
  }

 private:
  EventLoop& loop_;
  std::vector<TaskStart> starts_;  // reserved once: a linked TaskStart must not move
  std::size_t remaining_ = 0;
  std::coroutine_handle<> awaiting_;
  TaskPromiseBase* awaiting_task_ = nullptr;
};
// [/docs]

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

}  // namespace stage4
