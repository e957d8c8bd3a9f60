// task.hpp: Task<T>, a coroutine that hands back a T (or an exception) to whoever awaits it.
//
// Stage 3 wrote its Task by hand: a class that drives a generator, one step per resolved
// future. Here the compiler writes the state machine: any function whose body uses
// co_await or co_return and whose return type is Task<T> is compiled into a coroutine
// frame on the heap (its locals, where it stopped, its promise), and Task is the handle
// to that frame. The promise below is where the result goes and who is told at the end.
//
// Public API:
//   Task<T> f(...) { ...; co_return value; }  a coroutine; calling it only creates the frame:
//                                     nothing runs until it is awaited (lazy, as in Python)
//   T value = co_await f(...);        runs f until it finishes, then resumes us with its value
//   co_await std::move(task);         awaiting takes the task: it cannot die while awaited
//   task.set_name("make_tcp_request(7)")   the name --debug and --trace-loop print
//   task.done()                       whether it has finished (returned or thrown)
// To run tasks concurrently: EventLoop::create_task, gather(), wait_for().
//
// Who owns the frame. The Task, and only it: a Task is move-only and its destructor
// destroys the frame, whether it never started (its parameters are destroyed), is
// suspended (its locals are destroyed: sockets close, timers and registrations are
// removed from the loop) or has finished (its result goes). No reference counting, no
// garbage collector: the frame dies exactly when its Task does. `co_await std::move(t)`
// moves the Task into the awaiting coroutine's frame, so a task is owned by whoever
// awaits it, and destroying the outer task destroys the whole chain, innermost first.
//
// Symmetric transfer. When A awaits B, A's await_suspend returns B's handle and B starts
// at once; when B finishes, its final_suspend returns A's handle and A resumes at once.
// Returning a handle (instead of calling handle.resume()) lets the compiler *jump* to the
// next coroutine rather than call it, so a chain of 100,000 awaits that finish without
// suspending runs in constant stack space. (GCC only makes that jump a tail call with
// -foptimize-sibling-calls and without ASan stack instrumentation: stage4_coroutines_lib
// adds both to everything that uses it, see CMakeLists.txt.)
#pragma once

#include <coroutine>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace stage4 {

class TaskPromiseBase;

// Someone other than an awaiting coroutine who must hear when a task finishes: gather
// (counting its tasks down), wait_for (racing a timer), the loop (for run_until_complete
// and the tasks create_task gave it). Called from the finished task's final suspend
// point; returns the coroutine to run next (std::noop_coroutine(): back to the loop).
class Join {
 public:
  virtual std::coroutine_handle<> task_done(TaskPromiseBase& task) noexcept = 0;

 protected:
  ~Join() = default;
};

// What every Task's promise has, whatever T is: what the loop, gather and wait_for use.
class TaskPromiseBase {
 public:
  // Lazy: calling the coroutine creates its frame and stops before the first line.
  std::suspend_always initial_suspend() noexcept { return {}; }

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
  // The name given with set_name(), or "" (the loop then prints the frame's address).
  std::string_view name() const noexcept { return name_ ? std::string_view(*name_) : ""; }
  void set_name(std::string name) { name_ = std::make_unique<std::string>(std::move(name)); }

  // Who hears of the end: the coroutine awaiting this task, or a Join. Set by whoever
  // starts the task, before it starts.
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
  std::unique_ptr<std::string> name_;  // null for unnamed tasks: no cost when unused
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
  template <typename T>
  static TaskPromise<T>& promise(Task<T>& task) {
    return task.handle_.promise();
  }
  template <typename T>
  static std::coroutine_handle<> handle(Task<T>& task) noexcept {
    return task.handle_;
  }
  // The result of a finished task; rethrows its exception.
  template <typename T>
  static T take_result(Task<T>& task) {
    if (!task.done()) throw std::logic_error("result of a task that has not finished");
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
  void set_name(std::string name) { handle_.promise().set_name(std::move(name)); }
  std::string_view name() const noexcept { return handle_.promise().name(); }

  // co_await std::move(task): see Awaiter below.
  struct Awaiter;
  Awaiter operator co_await() && noexcept;

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
auto Task<T>::operator co_await() && noexcept -> Awaiter {
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
