// extras/shield.hpp: `co_await shield(background, std::move(task))`, asyncio.shield:
// the awaiting coroutine may be cancelled (destroyed: wait_for timing out, say), the
// shielded task is not; it runs on to its end. Not needed for the client.
//
//   BackgroundTasks background(loop);  // after the loop: it must die first
//   std::string saved = co_await wait_for(loop, shield(background, save(record)), 1s);
//   // on TimeoutError the save still runs to its end, owned by `background`
//
// Every coroutine frame has exactly one owner. A task that must outlive whoever awaits it
// cannot be owned by the awaiting frame (destroying that frame would destroy it), so
// shield() hands it to a BackgroundTasks set (extras/background_tasks.hpp) that outlives
// the awaiting coroutine, and the awaiting coroutine waits on a Future for its outcome.
// asyncio's docs ask the same of you: "save a reference to tasks passed to this function".
// The Future is the one thing with two owners (a shared_ptr), the shielded side and the
// awaiting side, because either may end first: the awaiting side, cancelled, simply leaves
// the Future's waiters; the shielded side sets a result nobody reads.
// Like asyncio.shield, the task starts at the next turn, whether or not anyone awaits.
#pragma once

#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

#include "stage4_coroutines/extras/background_tasks.hpp"
#include "stage4_coroutines/extras/future.hpp"

namespace stage4 {

namespace detail {

// The shielded side, owned by the BackgroundTasks set: runs `task`, settles `outcome`.
template <typename T>
Task<void> settle(Task<T> task, std::shared_ptr<Future<T>> outcome) {
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(task);
      outcome->set_result();
    } else {
      outcome->set_result(co_await std::move(task));
    }
  } catch (...) {  // the task's exception is the awaiter's to see, not a background failure
    outcome->set_exception(std::current_exception());
  }
}

// The awaiting side: the outcome, once settled.
template <typename T>
Task<T> outcome_of(std::shared_ptr<Future<T>> outcome) {
  if constexpr (std::is_void_v<T>) {
    co_await *outcome;
  } else {
    co_return std::move(co_await *outcome);
  }
}

}  // namespace detail

// `task` becomes a background task of `owner`; the Task returned awaits its outcome.
template <typename T>
Task<T> shield(BackgroundTasks& owner, Task<T> task) {
  task.startable("shield");
  auto outcome = std::make_shared<Future<T>>(owner.loop(), "shield");
  owner.create_task(detail::settle(std::move(task), outcome));
  return detail::outcome_of(std::move(outcome));
}

}  // namespace stage4
