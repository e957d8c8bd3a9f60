// exercises/07-semaphore/semaphore.hpp -- Exercise 07 (stage 4): a Semaphore, asyncio's.
//
// The task is docs/exercises/07-semaphore.md: at most `permits` coroutines at a time get
// past `co_await semaphore.acquire()`; the others wait there, in line, until one of those
// inside calls release(). As given, acquire() never waits, so the check fails.
// Check your work: bash scripts/exercise.sh 07-semaphore
//
//   exercises::Semaphore limit(loop, 10);
//   co_await limit.acquire();   // one of at most 10 past this line at any time
//   ... co_await make_tcp_request(loop, address, id) ...
//   limit.release();
#pragma once

#include <coroutine>
#include <cstddef>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/waiter.hpp"

namespace exercises {

class Semaphore {
 public:
  Semaphore(stage4::EventLoop& loop, std::size_t permits) : permits_(permits) { (void)loop; }
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  // TODO(exercise 07): an awaitable that takes a permit when one is free and otherwise
  // suspends the coroutine until release() hands it one. std::suspend_never never waits.
  std::suspend_never acquire() noexcept { return {}; }

  // TODO(exercise 07): gives a permit back: to the first coroutine waiting, if any.
  void release() {}

  // How many permits are free right now, and how many coroutines wait in acquire().
  std::size_t available() const noexcept { return permits_; }  // TODO(exercise 07)
  std::size_t waiting() const noexcept { return 0; }           // TODO(exercise 07)

 private:
  std::size_t permits_;
};

}  // namespace exercises
