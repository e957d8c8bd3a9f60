// task.hpp: Task<T>, a coroutine that hands back a T (or an exception) to whoever awaits it.
// Stage 3's Task pumped a generator; here a coroutine awaits what it waits for itself (the
// awaiter protocol), and a Task is only the handle to its frame: Python's coroutine object.
// It alone owns the frame: move-only, its destructor destroys the frame, never started,
// suspended (its locals go: sockets close, timers leave the loop) or done. Symmetric
// transfer: when A awaits B, A's await_suspend returns B's handle, and B's final_suspend
// returns A's; the compiler *jumps* rather than calls, so 100,000 nested awaits run in
// constant stack (GCC: CMakeLists.txt's flags).
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace stage4 {

class TaskPromiseBase;

// Who hears that a task of its own ended: its TaskStart (event_loop.hpp), which tells gather's
// or wait_for's Join in turn. Called at the final suspend point; returns what runs next.
struct Join {
  virtual std::coroutine_handle<> task_done(TaskPromiseBase& task) noexcept = 0;
  virtual ~Join() = default;
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

template <typename T>  // where co_return puts its value, as in stage 3's generator.hpp
struct ReturnSlot {
  std::optional<T> returned;
  void return_value(T value) { returned = std::move(value); }
  T take() { return std::move(*returned); }
};
template <>
struct ReturnSlot<void> {
  void return_void() noexcept {}
  void take() noexcept {}
};

template <typename T = void>
class [[nodiscard]] Task {
 public:
  // Calling a function that returns a Task allocates a frame: this promise and the locals.
  struct promise_type : TaskPromiseBase, ReturnSlot<T> {
    Task get_return_object() noexcept {
      return Task(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    T take_result() {
      if (exception) std::rethrow_exception(exception);
      return this->take();
    }
  };

  Task() noexcept = default;  // owns no frame (what a moved-from Task is too)
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  Task& operator=(Task other) noexcept {
    std::swap(handle_, other.handle_);  // our old frame dies with `other`
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

  // [docs:stage4-task-awaiter]
  // `co_await std::move(task)`: record who to resume and jump into the task (symmetric
  // transfer); when it ends, its FinalAwaiter jumps back, and await_resume hands over the
  // value or rethrows. The Task, in the awaiting frame, keeps the frame until then.
  struct Awaiter {
    std::coroutine_handle<promise_type> task;
    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
      task.promise().continuation = awaiting;
      return task;
    }
    T await_resume() { return task.promise().take_result(); }
  };
  Awaiter operator co_await() && {
    startable("co_await");
    return Awaiter{handle_};
  }
  // [/docs]

 private:
  explicit Task(std::coroutine_handle<promise_type> frame) noexcept : handle_(frame) {}
  std::coroutine_handle<promise_type> handle_;
};

}  // namespace stage4
