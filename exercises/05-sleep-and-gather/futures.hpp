// exercises/05-sleep-and-gather/futures.hpp -- Exercise 05 (stage 3): sleep and gather,
// written as futures.
//
// The task is docs/exercises/05-sleep-and-gather.md: write both functions below with
// stage 3's public API only (EventLoop::call_later, Future, add_done_callback). As given
// they throw "not implemented", so the check fails.
// Check your work: bash scripts/exercise.sh 05-sleep-and-gather
#pragma once

#include <memory>
#include <stdexcept>
#include <vector>

#include "stage3_generators/event_loop.hpp"
#include "stage3_generators/future.hpp"
#include "stage3_generators/task.hpp"

namespace exercises {

// asyncio.sleep: a future that the loop resolves `seconds` from now (on the loop's clock).
//   co_yield exercises::sleep(loop, 0.5);
inline std::shared_ptr<stage3::Future<void>> sleep(stage3::EventLoop& loop, double seconds) {
  // TODO(exercise 05): a Future<void>, and a timer that resolves it.
  (void)loop;
  (void)seconds;
  throw std::logic_error("not implemented: exercises::sleep");
}

// asyncio.gather: a future done when every task is, holding their results in the order of
// `tasks` (whatever order they finish in); failed, as soon as one task fails, with that
// task's exception.
template <typename T>
std::shared_ptr<stage3::Future<std::vector<T>>> gather(
    const std::vector<std::shared_ptr<stage3::Task<T>>>& tasks) {
  // TODO(exercise 05): one future for all, a done-callback on each task.
  (void)tasks;
  throw std::logic_error("not implemented: exercises::gather");
}

}  // namespace exercises
