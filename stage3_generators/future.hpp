// future.hpp: Future<T>, a result that is not there yet, the article's Future.
//
// Someone (an I/O callback, a timer) will call set_result() or set_exception() later;
// meanwhile whoever needs the result registers a callback with add_done_callback(). A
// generator yields a future to say "wake me when this is done" (task.hpp).
//
// Public API:
//   void set_result(T value)     / set_result() for Future<void>: done, callbacks run
//   void set_exception(exception_ptr)   done with an error, callbacks run
//   void add_done_callback(Callback)    runs when done: at once if already done. A
//                                       callback must not throw (see mark_done).
//   void add_waiter(Waiter&)     the same for a task (see Waiter below)
//   bool done(), bool failed()
//   T& result()                  the value; rethrows the exception; throws if not done
//   const char* name()           what it waits for ("connect", "sleep"): for --trace-loop
//
// When a future is done, its waiter is woken, then the callbacks run in the order they
// were added, all inside set_result() / set_exception(); then they are released (whatever
// they captured goes with them). Python passes the future to each callback; here a
// callback captures what it needs.
//
// Who owns a future: everyone who holds its shared_ptr. Typically two parties: the
// generator that yielded it (it reads the result when it resumes) and whoever will resolve
// it (the event loop's timer queue, an I/O callback). The last one to let go frees it.
// A future does not own the task waiting for it: see task.hpp for why that is safe.
#pragma once

#include <exception>
#include <forward_list>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace stage3 {

class FutureBase;

// Who waits for a future: a task. Python's Task hands the future a bound method,
// add_done_callback(self.step); a Waiter is that bound method as C++ sees it, an object
// with a function to call on it, held by one pointer. (A std::function would do too, at
// 32 bytes: a million sleeping tasks would make that 24 MB more.)
class Waiter {
 public:
  virtual void wake_up(FutureBase& future) = 0;

 protected:
  ~Waiter() = default;
};

// What every future has, whatever its result type: the part a Task and the event loop use.
class FutureBase {
 public:
  using Callback = std::function<void()>;

  explicit FutureBase(const char* name = "future") noexcept : name_(name) {}
  FutureBase(const FutureBase&) = delete;
  FutureBase& operator=(const FutureBase&) = delete;

  bool done() const noexcept { return done_; }
  bool failed() const noexcept { return exception_ != nullptr; }
  std::exception_ptr exception() const noexcept { return exception_; }
  const char* name() const noexcept { return name_; }

  // [docs:stage3-future-callbacks]
  void add_done_callback(Callback callback) {
    if (done_) return callback();  // already done: no need to wait
    callbacks_.push_front(std::move(callback));
  }
  void add_waiter(Waiter& waiter) {
    if (done_) return waiter.wake_up(*this);
    if (waiter_) return add_done_callback([this, &waiter] { waiter.wake_up(*this); });
    waiter_ = &waiter;  // nearly always the only one: no allocation
  }

  void set_exception(std::exception_ptr exception) {
    if (!exception) throw std::invalid_argument("set_exception(nullptr)");
    check_not_done();
    exception_ = std::move(exception);
    mark_done();
  }
  // [/docs]

 protected:
  ~FutureBase() = default;  // destroyed through the Future<T> (or Task<T>) it is part of

  // [docs:stage3-future-mark-done]
  // Done: wake the waiter, then run the callbacks, in order. They are moved out first, so
  // a callback may add another one (it runs at once) and whatever they captured is
  // released when they return. noexcept: a callback that throws is a bug (nobody could
  // catch it), and the program stops right there rather than go on half resolved.
  void mark_done() noexcept {
    done_ = true;
    if (Waiter* waiter = std::exchange(waiter_, nullptr)) waiter->wake_up(*this);
    std::forward_list<Callback> callbacks = std::exchange(callbacks_, {});
    callbacks.reverse();  // added at the front: back to the order they were added in
    for (Callback& callback : callbacks) callback();
  }
  // [/docs]

  void check_not_done() const {
    if (done_) throw std::logic_error(std::string(name_) + " future is already done");
  }
  void check_result() const {
    if (!done_) throw std::logic_error(std::string(name_) + " future is not done yet");
    if (exception_) std::rethrow_exception(exception_);
  }

 private:
  const char* name_;  // a string literal
  std::exception_ptr exception_;
  // A million sleeping tasks are a million futures, so every byte here counts: the task
  // waiting is a pointer, and the other callbacks a singly linked list, one pointer while
  // empty and one allocation per callback (a vector would be 24 bytes and two allocations).
  Waiter* waiter_ = nullptr;
  std::forward_list<Callback> callbacks_;
  bool done_ = false;
};

template <typename T>
class Future : public FutureBase {
 public:
  using FutureBase::FutureBase;

  void set_result(T value) {
    check_not_done();
    value_ = std::move(value);
    mark_done();
  }
  T& result() {
    check_result();
    return *value_;
  }

 private:
  std::optional<T> value_;
};

template <>
class Future<void> : public FutureBase {
 public:
  using FutureBase::FutureBase;

  void set_result() {
    check_not_done();
    mark_done();
  }
  void result() const { check_result(); }
};

// What a generator driven by a Task yields: the future it waits for, whatever its type.
// (Python yields the object itself; C++ needs one type for every co_yield.)
using FuturePtr = std::shared_ptr<FutureBase>;

}  // namespace stage3
