// task.hpp: Task<T>, the article's Task: it drives one generator, one step at a time.
//
// A generator cannot run itself: someone has to call next(). A Task does, and it knows
// when: each time the generator yields a future, the task waits for it (as its Waiter,
// see future.hpp), and when the future is done, the task's next step is scheduled on the
// loop. When the generator returns, the task holds its result (or the exception it threw).
// A Task is a Future, as in asyncio: a generator may yield a task to wait for it, and
// gather() waits for many.
//
//   Generator<FuturePtr, int> answer(EventLoop& loop) {
//     co_yield sleep(loop, 0.5);      // a future: "wake me when this is done"
//     co_return 42;
//   }
//   auto task = loop.create_task(answer(loop));   // event_loop.hpp
//   int value = loop.run_until_complete(task);    // 42, half a second later
//
// Public API (besides Future<T>'s: done, failed, result, add_done_callback):
//   Task<T>            made by EventLoop::create_task(generator, name)
//   std::string name() "request 7" (the name given), or "Task-3", as asyncio names them
//   gather(tasks)      a Future<void> done when every task is, or failed with the first
//                      exception one of them ended with (Python's asyncio.gather)
//
// Who owns what, and when it dies:
// - A task owns its generator, so its coroutine frame, so everything the frame holds (the
//   future it waits for, its sockets). The frame dies with the task (once finished, it
//   stays suspended at its end until then).
// - The event loop owns every unfinished task (it holds a shared_ptr); create_task's caller
//   may hold one too, to read the result. When a task finishes, the loop lets go: a task
//   nobody else holds is freed right there. When the loop is destroyed, it closes the
//   generators of the tasks still unfinished: their frames, sockets included, die then.
// - The futures a task waits for do not own it: a future holds its waiter by a plain
//   pointer. That is safe because a task waits for one future at a time, and while it
//   waits it is unfinished, so the loop keeps it alive; it is why futures must be resolved
//   only while their loop lives. (Python's garbage collector makes the question vanish.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "stage3_generators/future.hpp"
#include "stage3_generators/generator.hpp"

namespace stage3 {

class EventLoop;

// What the event loop knows of a task, whatever its generator returns.
class TaskBase : public Waiter {
 public:
  virtual ~TaskBase() = default;
  TaskBase(const TaskBase&) = delete;
  TaskBase& operator=(const TaskBase&) = delete;

  std::string name() const;

 protected:
  TaskBase(EventLoop& loop, std::string name)
      : loop_(loop),
        name_(name.empty() ? nullptr : std::make_unique<std::string>(std::move(name))) {}

  // Waits for `future`: our next step is scheduled when it is done.
  void wait_for(FutureBase& future);
  // The generator has returned or thrown: the loop lets go of this task. That may destroy
  // *this, so it is the last thing step() does.
  void finished();
  bool tracing() const;
  void trace(const char* event, const std::string& detail) const;

 private:
  friend class EventLoop;
  virtual void step() = 0;   // resume the generator once
  virtual void close() = 0;  // destroy the generator unfinished: the loop is closing
  void wake_up(FutureBase& future) override;

  EventLoop& loop_;
  // A million tasks are a million of these: only a task given a name pays for a string.
  std::unique_ptr<const std::string> name_;
  std::uint32_t number_ = 0;  // Task-<number>, given by the loop
  std::uint32_t index_ = 0;   // where the loop keeps this task (EventLoop::tasks_)
};

template <typename T = void>
class Task final : public Future<T>, public TaskBase {
 public:
  Task(EventLoop& loop, Generator<FuturePtr, T> generator, std::string name)
      : Future<T>("task"), TaskBase(loop, std::move(name)), generator_(std::move(generator)) {}

  using TaskBase::name;  // "request 7", not the future's name ("task")

 private:
  // [docs:stage3-task-step]
  // One step: resume the generator until it yields a future (then wait for that future)
  // or returns (then hold its result). Python: `next_future = self.coro.send(None)`.
  void step() override {
    if (tracing()) trace("step", name());
    try {
      if (generator_.next()) {
        const FuturePtr& future = generator_.yielded();
        if (!future) throw std::logic_error(name() + " yielded no future");
        return wait_for(*future);  // the future wakes us up when it is done
      }
      if constexpr (std::is_void_v<T>) {
        generator_.result();
        this->set_result();
      } else {
        this->set_result(generator_.result());
      }
      if (tracing()) trace("return", name() + " is done");
    } catch (...) {  // the generator threw: the task holds the exception
      if (tracing()) trace("return", name() + " failed");
      this->set_exception(std::current_exception());
    }
    finished();  // may destroy *this: nothing after it
  }
  // [/docs]

  void close() override { generator_ = {}; }

  Generator<FuturePtr, T> generator_;
};

// [docs:stage3-gather]
// Done when every task is done; failed with the first exception a task ended with.
template <typename T>
std::shared_ptr<Future<void>> gather(const std::vector<std::shared_ptr<Task<T>>>& tasks) {
  // The future and how many tasks are left, in one object: each callback holds one
  // shared_ptr to it (the callbacks own it too: the caller may drop it before the end).
  struct Gathering : Future<void> {
    using Future<void>::Future;
    std::size_t left = 0;
  };
  auto all = std::make_shared<Gathering>("gather");
  all->left = tasks.size();
  if (tasks.empty()) all->set_result();
  for (const auto& task : tasks) {
    task->add_done_callback([all, task = task.get()] {
      if (all->done()) return;  // an earlier task failed: that is what gather reports
      if (task->failed()) return all->set_exception(task->exception());
      if (--all->left == 0) all->set_result();
    });
  }
  return all;
}
// [/docs]

}  // namespace stage3
