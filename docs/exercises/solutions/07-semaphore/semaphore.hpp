// docs/exercises/solutions/07-semaphore/semaphore.hpp -- the reference solution of exercise
// 07 (stage 4): a Semaphore, asyncio's. SPOILER: try docs/exercises/07-semaphore.md first.
//
// The same parts as stage 4's own awaitables: an awaiter that lives in the waiting frame,
// holding a Waiter (waiter.hpp) that the semaphore links into its line, and the loop's
// call_soon to resume it. release() hands its permit straight to the first in line, so a
// newcomer cannot overtake those who waited (asyncio does the same since Python 3.11).
// The one subtle case: a waiter that was handed a permit, then destroyed (its task
// cancelled, by wait_for say) before it could run. Its awaiter's destructor gives the
// permit back, or the permit would be lost for good.
//
//   exercises::Semaphore limit(loop, 10);
//   co_await limit.acquire();   // one of at most 10 past this line at any time
//   ... co_await make_tcp_request(loop, address, id) ...
//   limit.release();
//
// Who owns what: each waiting coroutine owns its place in line (in its frame); the
// semaphore only links it. The semaphore must outlive every coroutine that uses it.
#pragma once

#include <coroutine>
#include <cstddef>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/waiter.hpp"

namespace exercises {

class Semaphore {
 public:
  Semaphore(stage4::EventLoop& loop, std::size_t permits) : loop_(loop), available_(permits) {}
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  class Acquire;
  // `co_await semaphore.acquire()`: takes a free permit at once, or waits in line for one.
  Acquire acquire() noexcept;

  // Gives a permit back: to the first coroutine in line, if any, else to available().
  void release() {
    if (stage4::Waiter* first = line_.pop_front()) {
      static_cast<Place*>(first)->granted = true;
      loop_.call_soon(*first);  // it resumes at the loop's next turn, holding the permit
      return;
    }
    ++available_;
  }

  // How many permits are free right now, and how many coroutines wait in acquire().
  std::size_t available() const noexcept { return available_; }
  std::size_t waiting() const noexcept { return line_.size(); }

 private:
  // A coroutine's place in line: the Waiter to resume, and whether release() has handed
  // it a permit.
  struct Place : stage4::Waiter {
    bool granted = false;
  };

  stage4::EventLoop& loop_;
  std::size_t available_;    // never more than 0 while someone waits: release() hands over
  stage4::WaiterList line_;  // Places, first come first served
};

class Semaphore::Acquire {
 public:
  explicit Acquire(Semaphore& semaphore) noexcept : semaphore_(semaphore) {}
  Acquire(const Acquire&) = delete;
  Acquire& operator=(const Acquire&) = delete;
  // Destroyed after it was handed a permit but before it could resume: its coroutine was
  // destroyed while it waited (a cancelled task). The permit goes to the next in line.
  ~Acquire() {
    if (place_.granted && !resumed_) semaphore_.release();
  }

  bool await_ready() noexcept {
    if (semaphore_.available_ == 0) return false;
    --semaphore_.available_;  // a free permit: no need to suspend at all
    return true;
  }
  void await_suspend(std::coroutine_handle<> waiting) {
    semaphore_.loop_.park(place_, waiting);  // what to resume, and in which task
    semaphore_.line_.push_back(place_);
  }
  void await_resume() noexcept { resumed_ = true; }

 private:
  Semaphore& semaphore_;
  Place place_;  // linked into the semaphore's line, then the loop's ready list
  bool resumed_ = false;
};

inline Semaphore::Acquire Semaphore::acquire() noexcept {
  return Acquire(*this);
}

}  // namespace exercises
