// extras/future.hpp: Future<T>, a result that is not there yet, the article's Future, awaitable.
//
// Not needed for the client (every wait there has its own awaiter), but the article's
// Future, and what asyncio.Queue, Semaphore and Event are built on (exercises 07, 08).
// Someone (another task, a callback) calls set_result() or set_exception() later;
// meanwhile any number of coroutines `co_await future`. Stage 3's Future took callbacks
// (add_done_callback) and its Task turned "the future is done" into "step the generator";
// here a coroutine awaits the future directly, and being woken means being resumed.
//
// Public API:
//   Future<T> future(loop, "name")       a future whose waiters `loop` resumes
//   void set_result(T value)     / set_result() for Future<void>: done, waiters scheduled
//   void set_exception(exception_ptr)   done with an error, waiters scheduled
//   T& co_await future           suspends until done (not at all if it is); the value, or
//                                the exception rethrown
//   bool done(), bool failed(), T& result(), const char* name()
//
// Waiters are resumed by the loop at its next turn, in the order they started waiting
// (asyncio schedules a future's callbacks with call_soon; it never runs them inside
// set_result), so set_result() never runs someone else's code in the middle of yours.
//
// Who owns what. The future is owned by whoever created it (a local in a coroutine, a
// member of a test) and must outlive its waiters' co_await. A waiter's place in the
// future (a Waiter) lives in the waiting coroutine's frame: destroying that task
// unlinks it. A future destroyed with waiters still in it forgets them (they would
// wait forever: their owner must destroy them).
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/waiter.hpp"

namespace stage4 {

// What every future has, whatever its result type.
class FutureBase {
 public:
  explicit FutureBase(EventLoop& loop, const char* name = "future") noexcept
      : loop_(loop), name_(name) {}
  FutureBase(const FutureBase&) = delete;
  FutureBase& operator=(const FutureBase&) = delete;

  bool done() const noexcept { return done_; }
  bool failed() const noexcept { return exception_ != nullptr; }
  std::exception_ptr exception() const noexcept { return exception_; }
  const char* name() const noexcept { return name_; }

  void set_exception(std::exception_ptr exception) {
    if (!exception) throw std::invalid_argument("set_exception(nullptr)");
    if (done_) throw std::logic_error(std::string(name_) + " future is already done");
    exception_ = std::move(exception);
    mark_done();
  }

 protected:
  ~FutureBase() = default;  // destroyed through the Future<T> it is part of

  // [docs:stage4-future-mark-done]
  // Done: every waiting coroutine goes to the loop's ready list, in the order it came.
  void mark_done() {
    if (done_) throw std::logic_error(std::string(name_) + " future is already done");
    done_ = true;
    while (Waiter* waiter = waiters_.pop_front()) {
      if (LoopObserver* observer = loop_.observer()) observer->woken(waiter->task, name_);
      loop_.call_soon(*waiter);
    }
  }

  // What `co_await future` suspends with: its Waiter lives in the awaiting frame.
  class AwaiterBase {
   public:
    explicit AwaiterBase(FutureBase& future) noexcept : future_(future) {}
    bool await_ready() const noexcept { return future_.done(); }
    void await_suspend(std::coroutine_handle<> awaiting) {
      EventLoop& loop = future_.loop_;
      loop.park(waiter_, awaiting);
      future_.waiters_.push_back(waiter_);
      if (LoopObserver* observer = loop.observer())
        observer->suspended(waiter_.task, future_.name_);
    }

   protected:
    FutureBase& future_;

   private:
    Waiter waiter_;
  };
  // [/docs]

  void check_result() const {
    if (!done_) throw std::logic_error(std::string(name_) + " future is not done yet");
    if (exception_) std::rethrow_exception(exception_);
  }

 private:
  EventLoop& loop_;
  const char* name_;  // a string literal
  bool done_ = false;
  std::exception_ptr exception_;
  WaiterList waiters_;
};

template <typename T>
class Future : public FutureBase {
 public:
  using FutureBase::FutureBase;

  void set_result(T value) {
    if (done()) throw std::logic_error(std::string(name()) + " future is already done");
    value_ = std::move(value);
    mark_done();
  }
  T& result() {
    check_result();
    return *value_;
  }

  struct Awaiter : AwaiterBase {
    using AwaiterBase::AwaiterBase;
    T& await_resume() { return static_cast<Future&>(future_).result(); }
  };
  Awaiter operator co_await() noexcept { return Awaiter(*this); }

 private:
  std::optional<T> value_;
};

template <>
class Future<void> : public FutureBase {
 public:
  using FutureBase::FutureBase;

  void set_result() { mark_done(); }
  void result() const { check_result(); }

  struct Awaiter : AwaiterBase {
    using AwaiterBase::AwaiterBase;
    void await_resume() { static_cast<Future&>(future_).result(); }
  };
  Awaiter operator co_await() noexcept { return Awaiter(*this); }
};

}  // namespace stage4
