// docs/exercises/solutions/05-sleep-and-gather/futures.hpp -- the reference solution of
// exercise 05 (stage 3): sleep and gather, written as futures. SPOILER: try
// docs/exercises/05-sleep-and-gather.md first.
//
// Both are the same move: make a Future now, and arrange for someone to resolve it later.
// For sleep that someone is a timer; for gather, the done-callbacks of the tasks. Neither
// runs any code of its own in between: a future is a promise about later, not an activity.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "stage3_generators/event_loop.hpp"
#include "stage3_generators/future.hpp"
#include "stage3_generators/task.hpp"

namespace exercises {

// asyncio.sleep: a future that the loop resolves `seconds` from now (on the loop's clock).
//   co_yield exercises::sleep(loop, 0.5);
inline std::shared_ptr<stage3::Future<void>> sleep(stage3::EventLoop& loop, double seconds) {
  auto slept = std::make_shared<stage3::Future<void>>("sleep");
  // The timer owns the future too: the generator that yielded it may be gone by then
  // (its task destroyed), and the timer must still find a live future to resolve.
  loop.call_later(seconds, [slept] { slept->set_result(); });
  return slept;
}

// asyncio.gather: a future done when every task is, holding their results in the order of
// `tasks` (whatever order they finish in); failed, as soon as one task fails, with that
// task's exception.
template <typename T>
std::shared_ptr<stage3::Future<std::vector<T>>> gather(
    const std::vector<std::shared_ptr<stage3::Task<T>>>& tasks) {
  auto all = std::make_shared<stage3::Future<std::vector<T>>>("gather");
  if (tasks.empty()) {
    all->set_result({});
    return all;
  }
  // What the callbacks share: a slot per task (optional: T need not be
  // default-constructible), and how many tasks are still running.
  struct Progress {
    std::vector<std::optional<T>> results;
    std::size_t left;
  };
  auto progress = std::make_shared<Progress>(
      Progress{std::vector<std::optional<T>>(tasks.size()), tasks.size()});
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    // A plain pointer is enough: the callback runs inside the task's own set_result, and
    // a task that never finishes never runs it.
    stage3::Task<T>* task = tasks[i].get();
    task->add_done_callback([all, progress, task, i] {
      if (all->done()) return;  // an earlier task failed: that is what gather reported
      if (task->failed()) return all->set_exception(task->exception());
      progress->results[i] = task->result();  // a copy: the task keeps its own
      if (--progress->left > 0) return;
      std::vector<T> results;
      results.reserve(progress->results.size());
      for (std::optional<T>& result : progress->results) results.push_back(std::move(*result));
      all->set_result(std::move(results));
    });
  }
  return all;
}

}  // namespace exercises
