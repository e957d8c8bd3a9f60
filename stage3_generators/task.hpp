// task.hpp: Task<T>, the article's Task: a Future of what its generator returns, stepping it
// as each future it yields is done. It owns the generator, so the frame; the loop owns the task.
#pragma once
#include <type_traits>

#include "stage3_generators/event_loop.hpp"

namespace stage3 {
template <typename T = void>
class Task final : public Future<T>, public TaskBase, public std::enable_shared_from_this<Task<T>> {
 public:
  Task(EventLoop& loop, Generator<FuturePtr, T> generator, std::string name)
      : Future<T>("task"), loop_(loop), generator_(std::move(generator)), name_(std::move(name)) {}
  const std::string& name() const noexcept { return name_; }  // "request 7", or "Task-3"
  // asyncio's task.cancel(), the C++ way: the frame is destroyed where it stopped.
  void cancel() override {
    if (this->done()) return;
    generator_ = {};
    this->set_exception(std::make_exception_ptr(std::runtime_error("cancelled")));
    loop_.release(this);
  }

 private:
  // [docs:stage3-task-step]
  // One step, Python's `result = coro.send(None)`: to the next future, or to the end.
  void step() override {
    if (this->done()) return;  // cancelled after it was woken
    loop_.trace("step", name_);
    try {
      if (generator_.next()) {
        const FuturePtr& future = generator_.yielded();
        if (!future) throw std::logic_error(name_ + " yielded no future");
        loop_.trace("yield", name_, " waits for ", future->name());
        // Python: `result.add_done_callback(self._wakeup)`. The callback holds the task, as
        // the bound method does: the loop lets a cancelled task go, but its timer still fires.
        return future->add_done_callback([task = this->shared_from_this()] { task->wake_up(); });
      }
      if constexpr (std::is_void_v<T>) {
        generator_.result();
        this->set_result();
      } else {
        this->set_result(generator_.result());
      }
    } catch (...) {  // the generator threw: the task holds the exception
      this->set_exception(std::current_exception());
    }
    loop_.trace("return", name_, this->failed() ? " failed" : " is done");
    loop_.release(this);
  }
  // Not a step at once, inside whatever resolved the future: the task joins the ready queue.
  void wake_up() {
    if (this->done()) return;  // cancelled while it waited
    loop_.trace("resolved", generator_.yielded()->name(), " -> ", name_, " is ready");
    loop_.schedule(this->shared_from_this());
  }
  // [/docs]

  EventLoop& loop_;
  Generator<FuturePtr, T> generator_;
  std::string name_;
};
}  // namespace stage3
