// exercises/08-queue/queue.hpp -- Exercise 08 (stage 4): an async Queue, asyncio's.
//
// The task is docs/exercises/08-queue.md: a first-in first-out queue of at most `capacity`
// items between coroutines. `co_await queue.put(item)` waits while the queue is full;
// `co_await queue.get()` waits while it is empty. As given, both throw "not implemented",
// so the check fails.
// Check your work: bash scripts/exercise.sh 08-queue
//
//   exercises::Queue<int> work(loop, 10);
//   co_await work.put(7);             // a producer
//   int id = co_await work.get();     // a consumer
#pragma once

#include <cstddef>
#include <stdexcept>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/task.hpp"
#include "stage4_coroutines/waiter.hpp"

namespace exercises {

template <typename T>
class Queue {
 public:
  Queue(stage4::EventLoop& loop, std::size_t capacity) : capacity_(capacity) { (void)loop; }
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;

  // TODO(exercise 08): something `co_await` accepts, that adds `item` at the back, first
  // waiting (suspended) while the queue is full. A Task is one way; an awaiter like stage
  // 4's sleep() (event_loop.hpp) is another.
  stage4::Task<void> put(T item) {
    (void)item;
    throw std::logic_error("not implemented: Queue::put");
    co_return;
  }

  // TODO(exercise 08): something `co_await` accepts, that takes the item at the front,
  // first waiting (suspended) while the queue is empty.
  stage4::Task<T> get() {
    throw std::logic_error("not implemented: Queue::get");
    co_return T{};
  }

  std::size_t size() const noexcept { return 0; }  // TODO(exercise 08): items queued now
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  std::size_t capacity_;
};

}  // namespace exercises
