// task.hpp: Task<T>, a coroutine that hands back a T (or an exception) to whoever awaits it.
//
// Stage 3's Task pumped a generator: next(), wait for the future it yielded through a
// callback, next() again. Here each coroutine awaits what it waits for itself (the awaiter
// protocol), and a Task is only the handle to its frame: Python's coroutine object, which
// becomes what asyncio calls a Task once the loop runs it on its own (TaskStart, in
// event_loop.hpp: create_task, gather, wait_for). A function returning Task<T>
// whose body uses co_await or co_return is compiled into a frame on the heap (its locals,
// where it stopped, and the promise below: where the result goes, who is told at the end).
//
// Who owns the frame: the Task, and only it. Move-only; its destructor destroys the frame,
// never started, suspended (its locals go: sockets close, timers leave the loop) or
// finished. No reference counting, no garbage collector. `co_await std::move(t)` moves the
// Task into the awaiting frame: destroying the outer task destroys the chain, innermost first.
//
// Symmetric transfer: when A awaits B, A's await_suspend returns B's handle and B runs;
// when B ends, its final_suspend returns A's handle and A resumes. Returning a handle lets
// the compiler *jump* rather than call, so 100,000 nested awaits run in constant stack
// (stage 3 passed each resume down the chain of generators). GCC needs CMakeLists.txt's flags.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace stage4 {

class TaskPromiseBase;

// Who hears that a task of its own finished (gather, wait_for, the loop), where an awaited
// task has its awaiting coroutine. Called at the final suspend point; returns what runs next.
class Join {
 public:
  virtual std::coroutine_handle<> task_done(TaskPromiseBase& task) noexcept = 0;

 protected:
  ~Join() = default;
};

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
      if (promise.join) return promise.join->task_done(promise);
      if (promise.continuation) return promise.continuation;
      return std::noop_coroutine();
    }
    void await_resume() const noexcept {}
  };
  // [/docs]
  FinalAwaiter final_suspend() noexcept { return {}; }
  void unhandled_exception() noexcept { exception = std::current_exception(); }

  std::exception_ptr exception;          // what escaped the body: rethrown to the awaiter
  std::coroutine_handle<> continuation;  // who hears of the end: the awaiting coroutine,
  Join* join = nullptr;                  // or a Join; set before the task starts
};

template <typename T>
class TaskPromise : public TaskPromiseBase {
 public:
  auto get_return_object() noexcept;
  template <typename Value>
  void return_value(Value&& value) {
    value_.emplace(std::forward<Value>(value));
  }
  T take_result() {
    if (exception) std::rethrow_exception(exception);
    return std::move(*value_);
  }

 private:
  std::optional<T> value_;
};

template <>
class TaskPromise<void> : public TaskPromiseBase {
 public:
  auto get_return_object() noexcept;
  void return_void() noexcept {}
  void take_result() const {
    if (exception) std::rethrow_exception(exception);
  }
};

template <typename T = void>
class [[nodiscard]] Task {
 public:
  using promise_type = TaskPromise<T>;

  Task() noexcept = default;  // owns no frame (what a moved-from Task is too)
  explicit Task(std::coroutine_handle<promise_type> frame) noexcept : handle_(frame) {}
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

  bool done() const noexcept { return handle_ && handle_.done(); }
  T result() {  // of a finished task; rethrows its exception
    if (!done()) throw std::logic_error("the result of a Task that has not finished");
    return handle_.promise().take_result();
  }
  // For the runtime: the frame, and its promise once `what` has checked the task can start
  // (resuming an empty or finished Task is undefined behaviour: a clear error instead).
  std::coroutine_handle<promise_type> handle() const noexcept { return handle_; }
  promise_type& startable(const char* what) {
    if (!handle_) throw std::logic_error(std::string(what) + ": an empty Task (moved from?)");
    if (handle_.done()) throw std::logic_error(std::string(what) + ": a finished Task");
    return handle_.promise();
  }

  struct Awaiter;
  Awaiter operator co_await() &&;  // co_await std::move(task): below

 private:
  std::coroutine_handle<promise_type> handle_;
};

template <typename T>
auto TaskPromise<T>::get_return_object() noexcept {
  return Task<T>(std::coroutine_handle<TaskPromise>::from_promise(*this));
}
inline auto TaskPromise<void>::get_return_object() noexcept {
  return Task<void>(std::coroutine_handle<TaskPromise>::from_promise(*this));
}

// [docs:stage4-task-awaiter]
// `co_await std::move(task)`: the awaiter takes the task into the awaiting frame, records
// who to resume, and jumps into the task (symmetric transfer). When the task finishes, its
// FinalAwaiter jumps back, and await_resume hands over the value or rethrows.
template <typename T>
struct Task<T>::Awaiter {
  Task task;
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
    task.handle_.promise().continuation = awaiting;
    return task.handle_;
  }
  T await_resume() { return task.handle_.promise().take_result(); }
};
// [/docs]

template <typename T>
auto Task<T>::operator co_await() && -> Awaiter {
  startable("co_await");
  return Awaiter{std::move(*this)};
}

}  // namespace stage4
