// waiter.hpp: a suspended coroutine's place in the event loop. asyncio keeps a callback in
// a list; we keep a Waiter, the handle to resume, linked into the loop's lists (the ready
// list, a timer batch) by two pointers inside it: an intrusive list, linking allocates
// nothing. It lives in an awaiter, so in the waiting frame, and unlinks itself when
// destroyed: destroying a suspended frame leaves no dangling pointer in the loop.
#pragma once

#include <coroutine>
#include <cstddef>

namespace stage4 {

class TaskPromiseBase;

struct Waiter {
  Waiter() noexcept = default;
  Waiter(const Waiter&) = delete;  // lists point at it: it must not move
  Waiter& operator=(const Waiter&) = delete;
  ~Waiter() { unlink(); }
  void unlink() noexcept {
    if (!next) return;
    prev->next = next;
    next->prev = prev;
    prev = next = nullptr;
  }

  std::coroutine_handle<> handle;   // what to resume
  TaskPromiseBase* task = nullptr;  // its task, for the loop's observer
  Waiter* prev = nullptr;
  Waiter* next = nullptr;
};

// A first-in first-out list of Waiters: a ring through a sentinel, so no pointer is null.
class WaiterList {
 public:
  WaiterList() noexcept { head_.prev = head_.next = &head_; }
  ~WaiterList() {
    while (pop_front()) continue;  // no Waiter is left pointing at head_
  }
  bool empty() const noexcept { return head_.next == &head_; }
  void push_back(Waiter& waiter) noexcept {
    waiter.unlink();
    waiter.prev = head_.prev;
    waiter.next = &head_;
    head_.prev = head_.prev->next = &waiter;
  }
  std::size_t size() const noexcept {  // O(n): for a Semaphore's waiting(), say
    std::size_t count = 0;
    for (const Waiter* at = head_.next; at != &head_; at = at->next) ++count;
    return count;
  }
  Waiter* pop_front() noexcept {  // unlinked; nullptr when empty
    Waiter* first = empty() ? nullptr : head_.next;
    if (first) first->unlink();
    return first;
  }

 private:
  Waiter head_;
};

}  // namespace stage4
