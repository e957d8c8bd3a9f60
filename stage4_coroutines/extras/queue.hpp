// extras/queue.hpp: Queue<T>, asyncio.Queue with join() and task_done(): a work queue that
// knows when every item put has been processed. Not needed for the client.
//
//   Queue<int> work(loop);
//   work.put(7);                      // put_nowait: this queue has no bound, put never waits
//   int id = co_await work.get();     // a worker: waits while the queue is empty
//   ... process id ...
//   work.task_done();                 // that item is processed
//   co_await work.join();             // until every item put has had its task_done()
//
// The workers of such a queue wait in get() forever: when join() returns, their owner
// cancels them, that is destroys their frames, where they wait (asyncio: task.cancel() on
// each). A bounded queue whose put() waits while it is full is exercise 08
// (exercises/08-queue), which ends its workers with sentinels instead.
//
// put() wakes the first waiting getter and reserves an item for it: a get() that comes
// later does not take that item, so nobody overtakes those who waited. A woken getter
// destroyed before it could run (its task cancelled) passes its turn to the next in line
// (asyncio's _wakeup_next), or that item would sit in the queue while getters wait.
// Who owns what: the queue owns the queued items; a waiting coroutine owns its place in
// line (in its frame). The queue must outlive every coroutine that uses it.
#pragma once

#include <coroutine>
#include <cstddef>
#include <deque>
#include <stdexcept>
#include <utility>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/waiter.hpp"

namespace stage4 {

template <typename T>
class Queue {
 public:
  explicit Queue(EventLoop& loop) noexcept : loop_(loop) {}
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;

  class Get;
  class AllDone;
  void put(T item) {
    items_.push_back(std::move(item));
    ++unfinished_;
    wake_getter();
  }
  Get get() noexcept { return Get(*this); }  // `T item = co_await queue.get()`
  // One item taken by get() is processed. More calls than items put: std::logic_error.
  void task_done() {
    if (unfinished_ == 0) throw std::logic_error("Queue::task_done: more calls than items put");
    if (--unfinished_ > 0) return;
    while (Waiter* joiner = joiners_.pop_front()) loop_.call_soon(*joiner);
  }
  AllDone join() noexcept { return AllDone(*this); }  // `co_await queue.join()`

  std::size_t size() const noexcept { return items_.size(); }      // queued, reserved or not
  std::size_t unfinished() const noexcept { return unfinished_; }  // put, not yet task_done

 private:
  struct Place : Waiter {  // a getter in line, and whether put() woke it
    bool woken = false;
  };
  // An item nobody has reserved yet, and a getter waiting for one: wake it, at the next turn.
  void wake_getter() {
    if (items_.size() <= reserved_) return;
    if (auto* getter = static_cast<Place*>(getters_.pop_front())) {
      getter->woken = true;
      ++reserved_;
      loop_.call_soon(*getter);
    }
  }
  void wait_in(WaiterList& line, Waiter& place, std::coroutine_handle<> waiting) {
    loop_.park(place, waiting);
    line.push_back(place);
  }

  EventLoop& loop_;
  std::deque<T> items_;
  std::size_t reserved_ = 0;    // items promised to woken getters that have not run yet
  std::size_t unfinished_ = 0;  // what join() waits to see reach 0
  WaiterList getters_;          // Places: waiting for an item
  WaiterList joiners_;          // waiting in join()
};

template <typename T>
class Queue<T>::Get {
 public:
  explicit Get(Queue& queue) noexcept : queue_(queue) {}
  Get(const Get&) = delete;
  Get& operator=(const Get&) = delete;
  ~Get() {  // woken, then destroyed before it ran: the item it was promised goes to the next
    if (!place_.woken) return;
    --queue_.reserved_;
    queue_.wake_getter();
  }

  bool await_ready() const noexcept { return queue_.items_.size() > queue_.reserved_; }
  void await_suspend(std::coroutine_handle<> waiting) {
    queue_.wait_in(queue_.getters_, place_, waiting);
  }
  T await_resume() {
    if (place_.woken) --queue_.reserved_;  // the item reserved for us: now we take one
    place_.woken = false;
    T item = std::move(queue_.items_.front());
    queue_.items_.pop_front();
    return item;
  }

 private:
  Queue& queue_;
  Place place_;
};

template <typename T>
class Queue<T>::AllDone {
 public:
  explicit AllDone(Queue& queue) noexcept : queue_(queue) {}
  bool await_ready() const noexcept { return queue_.unfinished_ == 0; }
  void await_suspend(std::coroutine_handle<> waiting) {
    queue_.wait_in(queue_.joiners_, joiner_, waiting);
  }
  void await_resume() const noexcept {}

 private:
  Queue& queue_;
  Waiter joiner_;  // in the queue's joiners, then the loop's ready list
};

}  // namespace stage4
