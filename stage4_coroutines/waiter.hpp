// waiter.hpp: a suspended coroutine's place in the event loop.
//
// When a coroutine waits for the loop (a timer, a socket, its turn to start), the loop
// must know what to resume. asyncio keeps a callback in a list; we keep a Waiter: the
// coroutine_handle to resume and the task it belongs to, linked into one of the loop's
// lists (the ready list, a timer batch).
//
// Who owns what. A Waiter lives inside an awaiter, and so inside the frame of the
// coroutine that waits. The loop only links it; it allocates nothing for it. A Waiter
// unlinks itself when it is destroyed, so destroying a suspended frame leaves no dangling
// pointer in the loop: that is how a cancelled task vanishes cleanly. (Python needs none
// of this: its garbage collector keeps a waiting task alive while the loop refers to it.)
#pragma once

#include <coroutine>
#include <cstddef>

namespace stage4 {

class TaskPromiseBase;

// The two pointers of a doubly linked list, kept inside the element (an "intrusive"
// list): linking costs no allocation, and an element unlinks itself in O(1).
class Link {
 public:
  Link() noexcept = default;
  Link(const Link&) = delete;  // others point at it: it must not move
  Link& operator=(const Link&) = delete;
  ~Link() { unlink(); }

  void unlink() noexcept {
    if (!next_) return;
    prev_->next_ = next_;
    next_->prev_ = prev_;
    prev_ = next_ = nullptr;
  }

 private:
  friend class WaiterList;
  Link* prev_ = nullptr;
  Link* next_ = nullptr;
};

struct Waiter : Link {
  std::coroutine_handle<> handle;   // what to resume
  TaskPromiseBase* task = nullptr;  // the task it belongs to: the loop's current_task() then
};

// A first-in first-out list of Waiters, a ring through a sentinel (no null pointers).
class WaiterList {
 public:
  WaiterList() noexcept { head_.prev_ = head_.next_ = &head_; }
  WaiterList(const WaiterList&) = delete;
  WaiterList& operator=(const WaiterList&) = delete;
  ~WaiterList() {
    while (pop_front()) {
    }
  }

  bool empty() const noexcept { return head_.next_ == &head_; }
  void push_back(Waiter& waiter) noexcept {
    waiter.unlink();
    waiter.prev_ = head_.prev_;
    waiter.next_ = &head_;
    head_.prev_->next_ = &waiter;
    head_.prev_ = &waiter;
  }
  Waiter* pop_front() noexcept {  // the first Waiter, unlinked; nullptr if empty
    if (empty()) return nullptr;
    auto* first = static_cast<Waiter*>(head_.next_);
    first->unlink();
    return first;
  }
  void splice(WaiterList& other) noexcept {  // moves all of `other` to our end, in O(1)
    if (other.empty()) return;
    Link* first = other.head_.next_;
    Link* last = other.head_.prev_;
    other.head_.prev_ = other.head_.next_ = &other.head_;
    first->prev_ = head_.prev_;
    last->next_ = &head_;
    head_.prev_->next_ = first;
    head_.prev_ = last;
  }
  std::size_t size() const noexcept {  // O(n): for tests
    std::size_t count = 0;
    for (const Link* link = head_.next_; link != &head_; link = link->next_) ++count;
    return count;
  }

 private:
  Link head_;
};

}  // namespace stage4
