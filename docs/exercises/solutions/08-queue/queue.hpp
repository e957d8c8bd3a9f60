// docs/exercises/solutions/08-queue/queue.hpp -- the reference solution of exercise 08
// (stage 4): an async Queue, asyncio's. SPOILER: try docs/exercises/08-queue.md first.
//
// Exercise 07's Semaphore twice over: two lines of waiting coroutines, getters (while the
// queue is empty) and putters (while it is full), and items handed over directly. A put
// that finds a getter waiting gives it the item and wakes it; a get that frees a slot
// takes the first waiting putter's item into the queue and wakes it. So a woken coroutine
// never has to look again, and nobody overtakes those who waited. Cancellation: a getter
// destroyed while it waits just leaves the line (its Waiter unlinks itself); a getter
// destroyed after it was handed an item, before it could run, hands the item on, or puts
// it back at the front: an item is never lost. A putter destroyed while it waits takes
// its item with it (it was never queued), as in asyncio.
//
//   exercises::Queue<int> work(loop, 10);
//   co_await work.put(7);             // a producer
//   int id = co_await work.get();     // a consumer
//
// Who owns what: the queue owns the queued items; a waiting coroutine owns its place in
// line and, for a putter, its item (both in its frame). The queue must outlive every
// coroutine that uses it.
#pragma once

#include <coroutine>
#include <cstddef>
#include <deque>
#include <optional>
#include <stdexcept>
#include <utility>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/waiter.hpp"

namespace exercises {

template <typename T>
class Queue {
 public:
  Queue(stage4::EventLoop& loop, std::size_t capacity) : loop_(loop), capacity_(capacity) {
    if (capacity == 0) throw std::invalid_argument("Queue: capacity must be at least 1");
  }
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;

  class Put;
  class Get;
  // `co_await queue.put(item)`: adds item at the back, first waiting while the queue is full.
  Put put(T item) { return Put(*this, std::move(item)); }
  // `T item = co_await queue.get()`: takes the front item, first waiting while it is empty.
  Get get() { return Get(*this); }

  // Items queued now: at most capacity() (one more for a moment, when a cancelled getter
  // puts back the item it was handed).
  std::size_t size() const noexcept { return items_.size(); }
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  // A coroutine in line, with the item it brings (a putter) or is handed (a getter).
  struct Place : stage4::Waiter {
    std::optional<T> item;
  };

  // Wakes a coroutine in line: the loop resumes it at its next turn.
  void wake(Place& place) { loop_.call_soon(place); }
  // An item for the getters: to the first one waiting, else into the queue.
  void hand_over(T item, bool at_front) {
    if (auto* getter = static_cast<Place*>(getters_.pop_front())) {
      getter->item.emplace(std::move(item));
      return wake(*getter);
    }
    if (at_front) return items_.push_front(std::move(item));
    items_.push_back(std::move(item));
  }
  // A slot is free: the first waiting putter's item goes into the queue.
  void admit_putter() {
    if (auto* putter = static_cast<Place*>(putters_.pop_front())) {
      items_.push_back(std::move(*putter->item));
      putter->item.reset();  // taken: its put is done
      wake(*putter);
    }
  }
  void enter_line(stage4::WaiterList& line, Place& place, std::coroutine_handle<> waiting,
                  const char* what) {
    // --trace-loop's "await ... waits for queue get": the loop's observer, if it has one.
    loop_.park(place, waiting);  // what to resume, and in which task
    if (auto* observer = loop_.observer()) observer->suspended(place.task, what);
    line.push_back(place);
  }

  stage4::EventLoop& loop_;
  std::size_t capacity_;
  std::deque<T> items_;
  stage4::WaiterList getters_;  // Places waiting for an item: only while items_ is empty
  stage4::WaiterList putters_;  // Places waiting for a slot: only while items_ is full
};

template <typename T>
class Queue<T>::Put {
 public:
  Put(Queue& queue, T item) : queue_(queue) { place_.item.emplace(std::move(item)); }
  Put(const Put&) = delete;
  Put& operator=(const Put&) = delete;

  bool await_ready() {
    if (queue_.items_.size() >= queue_.capacity_) return false;     // full: nobody waits to get
    queue_.hand_over(std::move(*place_.item), /*at_front=*/false);  // a getter, or a free slot
    place_.item.reset();
    return true;
  }
  void await_suspend(std::coroutine_handle<> waiting) {
    queue_.enter_line(queue_.putters_, place_, waiting, "queue put");
  }
  void await_resume() const noexcept {}

 private:
  Queue& queue_;
  Place place_;  // its item, until a get takes it into the queue
};

template <typename T>
class Queue<T>::Get {
 public:
  explicit Get(Queue& queue) : queue_(queue) {}
  Get(const Get&) = delete;
  Get& operator=(const Get&) = delete;
  // Handed an item, then destroyed before it could run (its task was cancelled): the item
  // goes to the next getter, or back to the front of the queue, where it came from.
  ~Get() {
    if (place_.item && !resumed_) queue_.hand_over(std::move(*place_.item), /*at_front=*/true);
  }

  bool await_ready() {
    if (queue_.items_.empty()) return false;
    place_.item.emplace(std::move(queue_.items_.front()));
    queue_.items_.pop_front();
    queue_.admit_putter();  // a slot is free
    return true;
  }
  void await_suspend(std::coroutine_handle<> waiting) {
    queue_.enter_line(queue_.getters_, place_, waiting, "queue get");
  }
  T await_resume() {
    resumed_ = true;
    return std::move(*place_.item);
  }

 private:
  Queue& queue_;
  Place place_;  // the item, once handed over
  bool resumed_ = false;
};

}  // namespace exercises
