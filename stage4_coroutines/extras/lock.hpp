// extras/lock.hpp: Lock, asyncio.Lock: one coroutine at a time between acquire and release,
// across any number of co_awaits. Not needed for the client; the fix of `--race`
// (extras/anti_patterns.cpp) and of every check-then-act that spans an await.
//
//   {
//     Lock::Held held = co_await lock.acquire();  // async with lock:
//     ... read, co_await, write ...
//   }                                             // `held` goes: the lock passes on
//
// One thread needs no lock for memory, but a coroutine that suspends lets the others run,
// and they may change what it read before it writes: a lost update. The Lock makes the
// others wait in line. C++ makes the release a destructor (Held): it runs however the
// block ends, by a return, an exception, or the task destroyed while it holds the lock
// (cancelled): asyncio's `async with` releases on CancelledError the same way.
//
// release() hands the lock straight to the first in line (it stays locked meanwhile), so
// nobody overtakes those who waited. Who owns what: a waiting coroutine owns its place in
// line (in its frame); the lock only links it, and must outlive every coroutine that uses it.
#pragma once

#include <coroutine>
#include <utility>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/waiter.hpp"

namespace stage4 {

class Lock {
 public:
  explicit Lock(EventLoop& loop) noexcept : loop_(loop) {}
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

  class Acquire;
  // `Lock::Held held = co_await lock.acquire()`: at once if the lock is free, else in line.
  Acquire acquire() noexcept;

  // Holding the lock: releases it when destroyed. Move-only, like the Task that owns a frame.
  class [[nodiscard]] Held {
   public:
    Held(Held&& other) noexcept : lock_(std::exchange(other.lock_, nullptr)) {}
    Held& operator=(Held&&) = delete;
    ~Held() {
      if (lock_) lock_->release();
    }

   private:
    friend class Acquire;  // only an acquire gives one
    explicit Held(Lock& lock) noexcept : lock_(&lock) {}
    Lock* lock_;
  };
  bool locked() const noexcept { return locked_; }

 private:
  struct Place : Waiter {  // a coroutine in line, and whether release() handed it the lock
    bool granted = false;
  };
  void release() {
    if (auto* first = static_cast<Place*>(line_.pop_front())) {
      first->granted = true;  // still locked: it is the next holder's, at the loop's next turn
      return loop_.call_soon(*first);
    }
    locked_ = false;
  }

  EventLoop& loop_;
  bool locked_ = false;
  WaiterList line_;  // Places, first come first served: empty while unlocked
};

class Lock::Acquire {
 public:
  explicit Acquire(Lock& lock) noexcept : lock_(lock) {}
  Acquire(const Acquire&) = delete;
  Acquire& operator=(const Acquire&) = delete;
  // Handed the lock, then destroyed before it could run (its task cancelled): nobody holds
  // it, so it passes to the next in line, or the lock would stay locked for good.
  ~Acquire() {
    if (place_.granted && !resumed_) lock_.release();
  }

  bool await_ready() noexcept {
    if (lock_.locked_) return false;
    lock_.locked_ = true;  // free: take it without suspending
    return true;
  }
  void await_suspend(std::coroutine_handle<> waiting) {
    lock_.loop_.park(place_, waiting);
    lock_.line_.push_back(place_);
  }
  Held await_resume() noexcept {
    resumed_ = true;
    return Held(lock_);
  }

 private:
  Lock& lock_;
  Place place_;  // in the lock's line, then in the loop's ready list
  bool resumed_ = false;
};

inline Lock::Acquire Lock::acquire() noexcept {
  return Acquire(*this);
}

}  // namespace stage4
