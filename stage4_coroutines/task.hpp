// task.hpp: Task<T>, a coroutine that hands back a T (or an exception) to whoever awaits it.
//
// Stage 3's Task was a class that pumped a generator: it took each future the generator
// yielded, waited for it with a callback, then called next() again. Here the coroutine
// awaits what it waits for itself (the awaiter protocol), and Task is only the handle to
// its frame: any function whose return type is Task<T> and whose body uses co_await or
// co_return is compiled into a frame on the heap (its locals, where it stopped, the
// promise below), and the promise is where the result goes and who is told at the end.
//
//   Task<int> answer(EventLoop& loop) { co_await sleep(loop, 10ms); co_return 42; }
//   int value = co_await answer(loop);   // lazy: nothing runs until it is awaited
//
// Who owns the frame. The Task, and only it: a Task is move-only and its destructor
// destroys the frame, whether it never started, is suspended (its locals are destroyed:
// sockets close, timers and registrations leave the loop) or has finished. No reference
// counting, no garbage collector. `co_await std::move(t)` moves the Task into the awaiting
// frame, so destroying the outer task destroys the whole chain, innermost first.
//
// Symmetric transfer. When A awaits B, A's await_suspend returns B's handle and B starts
// at once; when B finishes, its final_suspend returns A's handle and A resumes at once.
// Returning a handle (instead of calling handle.resume()) lets the compiler *jump* to the
// next coroutine rather than call it, so a chain of 100,000 awaits runs in constant stack
// space; stage 3 walked a stack of generators in Generator::next instead. (GCC makes that
// jump a tail call only with -foptimize-sibling-calls and without ASan's stack
// instrumentation: see CMakeLists.txt.)
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace stage4 {

class TaskPromiseBase;

// Who hears that a task of its own has finished (gather, wait_for, the loop), instead of an
// awaiting coroutine. Called at the task's final suspend point; returns the coroutine to
// run next (std::noop_coroutine(): back to the loop).
class Join {
 public:
  virtual std::coroutine_handle<> task_done(TaskPromiseBase& task) noexcept = 0;

 protected:
  ~Join() = default;
};

// What every Task's promise has, whatever T is.
class TaskPromiseBase {
 public:
  std::suspend_always initial_suspend() noexcept { return {}; }  // lazy, as in Python

  // [docs:stage4-final-awaiter]
  // At the end, stay suspended (the Task still owns the frame and reads the result from
  // it) and hand control to whoever is waiting: symmetric transfer, no stack growth.
  struct FinalAwaiter {
    bool await_ready() const noexcept { return false; }
    template <typename Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) noexcept {
      TaskPromiseBase& promise = self.promise();
      if (promise.join_) return promise.join_->task_done(promise);
      if (promise.continuation_) return promise.continuation_;
      return std::noop_coroutine();
    }
    void await_resume() const noexcept {}
  };
  // [/docs]
  FinalAwaiter final_suspend() noexcept { return {}; }

  // An exception that escapes the body is kept, and rethrown to whoever awaits the task.
  void unhandled_exception() noexcept { exception_ = std::current_exception(); }
  std::exception_ptr exception() const noexcept { return exception_; }

  // Who hears of the end: the awaiting coroutine, or a Join. Set before the task starts.
  void set_continuation(std::coroutine_handle<> awaiting) noexcept { continuation_ = awaiting; }
  void set_join(Join* join) noexcept { join_ = join; }

 protected:
  void rethrow_if_failed() const {
    if (exception_) std::rethrow_exception(exception_);
  }

 private:
  std::coroutine_handle<> continuation_;
  Join* join_ = nullptr;
  std::exception_ptr exception_;
};

template <typename T>
class Task;

namespace detail {

template <typename T>
class TaskPromise : public TaskPromiseBase {
 public:
  Task<T> get_return_object() noexcept;
  template <typename Value>
  void return_value(Value&& value) {
    value_.emplace(std::forward<Value>(value));
  }
  T take_result() {
    rethrow_if_failed();
    return std::move(*value_);
  }

 private:
  std::optional<T> value_;
};

template <>
class TaskPromise<void> : public TaskPromiseBase {
 public:
  Task<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void take_result() const { rethrow_if_failed(); }
};

// For the runtime (the loop, gather, wait_for): a task's promise and handle.
struct TaskAccess {
  // The promise of a task about to start, checked: starting an empty (moved-from) Task
  // would resume a null handle, a finished one a coroutine that has ended; both are
  // undefined behaviour, so `what` ("co_await", "gather"...) throws a clear error instead.
  template <typename T>
  static TaskPromise<T>& startable(Task<T>& task, const char* what) {
    if (!task.handle_) throw std::logic_error(std::string(what) + ": an empty Task (moved from?)");
    if (task.handle_.done()) throw std::logic_error(std::string(what) + ": a finished Task");
    return task.handle_.promise();
  }
  template <typename T>
  static TaskPromise<T>& promise(Task<T>& task) noexcept {
    return task.handle_.promise();
  }
  template <typename T>
  static std::coroutine_handle<> handle(Task<T>& task) noexcept {
    return task.handle_;
  }
  template <typename T>
  static T take_result(Task<T>& task) {  // of a finished task; rethrows its exception
    if (!task.done()) throw std::logic_error("the result of a Task that has not finished");
    return task.handle_.promise().take_result();
  }
};

}  // namespace detail

template <typename T = void>
class [[nodiscard]] Task {
 public:
  using promise_type = detail::TaskPromise<T>;

  Task() noexcept = default;  // owns no frame (what a moved-from Task is too)
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  ~Task() {
    if (handle_) handle_.destroy();  // the one place the frame dies
  }

  bool valid() const noexcept { return static_cast<bool>(handle_); }
  bool done() const noexcept { return handle_ && handle_.done(); }

  struct Awaiter;
  Awaiter operator co_await() &&;  // co_await std::move(task): see Awaiter below

 private:
  friend class detail::TaskPromise<T>;
  friend struct detail::TaskAccess;
  explicit Task(std::coroutine_handle<promise_type> handle) noexcept : handle_(handle) {}

  std::coroutine_handle<promise_type> handle_;
};

// [docs:stage4-task-awaiter]
// `co_await std::move(task)`: the awaiter takes the task into the awaiting frame, records
// who to resume, and jumps into the task (symmetric transfer). When the task finishes, its
// FinalAwaiter jumps back, and await_resume hands over the value or rethrows.
template <typename T>
struct Task<T>::Awaiter {
  Task task;

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
    task.handle_.promise().set_continuation(awaiting);
    return task.handle_;
  }
  T await_resume() { return task.handle_.promise().take_result(); }
};
// [/docs]

template <typename T>
auto Task<T>::operator co_await() && -> Awaiter {
  detail::TaskAccess::startable(*this, "co_await");
  return Awaiter{std::move(*this)};
}

namespace detail {

template <typename T>
Task<T> TaskPromise<T>::get_return_object() noexcept {
  return Task<T>(std::coroutine_handle<TaskPromise<T>>::from_promise(*this));
}
inline Task<void> TaskPromise<void>::get_return_object() noexcept {
  return Task<void>(std::coroutine_handle<TaskPromise<void>>::from_promise(*this));
}

}  // namespace detail

}  // namespace stage4
