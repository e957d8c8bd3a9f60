// wait_for.hpp: asyncio.wait_for(task, seconds): a future of the task's result, or
// TimeoutError once `seconds` have passed, the task then cancelled.
#pragma once
#include "common/client_errors.hpp"
#include "stage3_generators/task.hpp"

namespace stage3 {
using common::client_errors::TimeoutError;  // asyncio.TimeoutError: "timed out after 0.3 s"

// [docs:stage3-wait-for]
template <typename T>
std::shared_ptr<Future<T>> wait_for(EventLoop& loop, std::shared_ptr<Task<T>> task,
                                    double seconds) {
  auto outcome = std::make_shared<Future<T>>("wait_for");
  task->add_done_callback([outcome, task = task.get()] {  // the task ended first
    if (outcome->done()) return;                          // (no: the timer won)
    if (task->failed()) return outcome->set_exception(task->exception());
    if constexpr (std::is_void_v<T>) {
      outcome->set_result();
    } else {
      outcome->set_result(task->result());  // a copy: the task keeps its own
    }
  });
  // The timer fired first: time out, then cancel (cancelling first would report "cancelled").
  // A weak_ptr: a task done in time is not kept for the timer (asyncio removes it; ours fires).
  sleep(loop, seconds)->add_done_callback([outcome, weak = std::weak_ptr(task), seconds] {
    if (outcome->done()) return;
    outcome->set_exception(std::make_exception_ptr(TimeoutError(seconds)));
    if (auto running = weak.lock()) running->cancel();
  });
  return outcome;
}
// [/docs]
}  // namespace stage3
