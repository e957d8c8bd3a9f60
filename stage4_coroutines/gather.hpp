// gather.hpp: `co_await gather(loop, std::move(tasks))`, asyncio.gather: run tasks at once
// (each a task of its own), wait for all, their results in order (a vector; nothing for
// Task<void>s; mixed types: extras/gather_tuple.hpp). If some fail, gather still waits for
// all, then rethrows the first failure in task order (asyncio lets the others run on
// unwatched). gather's frame owns the tasks: destroying it (wait_for timing out, say)
// destroys every task it started, with their timers and fds.
#pragma once

#include <type_traits>
#include <vector>

#include "stage4_coroutines/event_loop.hpp"

namespace stage4 {

// A countdown: each task's final suspend calls task_done(); all but the last go back to
// the loop, the last jumps straight into the awaiting coroutine.
class JoinAll final : public Join {
 public:
  JoinAll(EventLoop& loop, std::size_t count) : loop_(loop), starts_(count) {}
  template <typename T>
  void add(Task<T>& task) {  // it starts at the next turn; at most `count` of them
    TaskPromiseBase& promise = task.startable("gather");
    starts_.at(remaining_).start(loop_, promise, task.handle(), this);
    ++remaining_;
  }
  bool await_ready() const noexcept { return remaining_ == 0; }
  void await_suspend(std::coroutine_handle<> awaiting) noexcept { awaiting_ = awaiting; }
  void await_resume() const noexcept {}
  std::coroutine_handle<> task_done(TaskPromiseBase&) noexcept override {
    return --remaining_ > 0 ? std::noop_coroutine() : awaiting_;
  }

 private:
  EventLoop& loop_;
  std::vector<TaskStart> starts_;  // made once: the loop links them, they must not move
  std::size_t remaining_ = 0;
  std::coroutine_handle<> awaiting_;
};

template <typename T>
auto gather(EventLoop& loop, std::vector<Task<T>> tasks)
    -> Task<std::conditional_t<std::is_void_v<T>, void, std::vector<T>>> {
  JoinAll all(loop, tasks.size());
  for (Task<T>& task : tasks) all.add(task);
  co_await all;  // resumed by the last task to finish
  if constexpr (std::is_void_v<T>) {
    for (Task<T>& task : tasks) task.result();  // rethrows the first failure, in task order
  } else {
    std::vector<T> results;
    for (Task<T>& task : tasks) results.push_back(task.result());  // (or rethrows it)
    co_return results;
  }
}

}  // namespace stage4
