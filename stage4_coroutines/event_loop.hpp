// event_loop.hpp: EventLoop, asyncio's event loop for C++20 coroutines: a ready list,
// timers and a Selector, and nothing else.
//
// One turn of the loop (run_once), as asyncio's _run_once:
//   1. select(): block until a socket is ready or the next timer is due, but not at all
//      when something is already ready;
//   2. the coroutines whose socket is ready, then those whose timer is due, join the
//      ready list (timers due at the same instant form one batch: one lookup for all);
//   3. run each coroutine that was ready at that point, one step each: resume it until it
//      suspends again. Whatever becomes ready meanwhile waits for the next turn.
//
// Who owns what. The loop owns the tasks given to create_task, its Selector and its timer
// batches. It does not own the coroutines it resumes: it links Waiters that live in their
// frames (waiter.hpp), and a frame that is destroyed takes its Waiters out of the loop.
// Tasks must not outlive their loop: destroy them first (the loop destroys its own).
//
// Time. The loop reads the clock once per turn, and again after a step that leaves it
// 1 ms or more behind (libuv caches its time the same way). sleep(d) counts from that
// reading, so coroutines started in the same turn share one deadline, and one timer batch.
#pragma once

#include <chrono>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/selector.hpp"
#include "stage4_coroutines/task.hpp"
#include "stage4_coroutines/waiter.hpp"

namespace stage4 {

using common::TimePoint;
using Duration = std::chrono::nanoseconds;

// What --trace-loop, --debug and task names see of the loop (extras/loop_trace.hpp), at a
// few named points; nothing else in the runtime knows they exist. Every hook does nothing
// unless overridden, and the loop calls none of them when it has no observer.
class LoopObserver {
 public:
  virtual void task_named(const TaskPromiseBase&, std::string_view /*name*/) {}
  virtual void task_started(const TaskPromiseBase&) {}   // a task of its own (TaskStart)
  virtual void task_done(const TaskPromiseBase&) {}      // it returned or threw
  virtual void task_released(const TaskPromiseBase&) {}  // its TaskStart is gone
  virtual void step_began(const TaskPromiseBase*) {}
  virtual void step_ended(const TaskPromiseBase*, TimePoint /*now*/) {}
  virtual void suspended(const TaskPromiseBase*, std::string_view /*on what*/) {}
  virtual void woken(const TaskPromiseBase*, std::string_view /*by what*/) {}
  virtual void selected(std::span<const common::SelectorEvent>, Duration /*waited*/,
                        TimePoint /*now*/) {}

 protected:
  ~LoopObserver() = default;
};

struct LoopOptions {
  common::SelectorKind selector = common::default_selector_kind();
  std::function<TimePoint()> now = common::Clock::now;  // tests pass a clock they move
  LoopObserver* observer = nullptr;
};

class TaskStart;

class EventLoop {
 public:
  explicit EventLoop(LoopOptions options = {});
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // [docs:stage4-run-until-complete]
  // Runs the loop until `task` finishes; returns its value or rethrows its exception.
  // Throws std::logic_error if the task waits for what nothing can ever do (no task
  // ready, no timer, no socket watched), rather than hanging.
  template <typename T>
  T run_until_complete(Task<T> task) {
    run_until_done(detail::TaskAccess::startable(task, "run_until_complete"),
                   detail::TaskAccess::handle(task));
    return detail::TaskAccess::take_result(task);
  }
  // [/docs]

  // Spawns `task`: it starts at the next turn, the loop owns it and destroys its frame
  // when it ends. An exception it lets escape is printed on stderr (asyncio: "Task
  // exception was never retrieved"). Tasks still running when the loop dies are destroyed.
  void create_task(Task<void> task);
  void run_until_idle();  // until nothing is ready, no timer is set, no fd watched
  void run_once(std::optional<Duration> max_wait = std::nullopt);  // one turn

  TimePoint time() const noexcept { return time_; }  // what sleep() and wait_for() count from
  std::optional<TimePoint> next_timer() const;
  std::size_t ready_count() const noexcept { return ready_.size(); }
  std::size_t timer_count() const noexcept { return timer_count_; }
  std::size_t fd_count() const noexcept { return selector_->size(); }
  std::size_t task_count() const noexcept { return spawned_.size(); }  // create_task's, alive

  // For awaitables. The task running now: the one whose Waiter was resumed, or who took
  // over through a Join.
  TaskPromiseBase* current_task() const noexcept { return current_task_; }
  void set_current_task(TaskPromiseBase* task) noexcept { current_task_ = task; }
  // Resume `waiter` at the next turn (asyncio's call_soon).
  void call_soon(Waiter& waiter) noexcept { ready_.push_back(waiter); }
  // The name --trace-loop and --debug print for `task` (asyncio: Task.set_name).
  template <typename T>
  void set_name(Task<T>& task, std::string_view name) {
    if (observer_) observer_->task_named(detail::TaskAccess::startable(task, "set_name"), name);
  }
  LoopObserver* observer() const noexcept { return observer_; }

 private:
  friend class TaskStart;
  friend class TimerWait;
  friend class FdWait;

  // Every timer due at the same instant: one map entry, one list of waiting coroutines.
  struct TimerBatch {
    explicit TimerBatch(TimePoint due) noexcept : deadline(due) {}
    TimePoint deadline;
    WaiterList waiters;
  };
  struct Spawned;

  void run_until_done(TaskPromiseBase& promise, std::coroutine_handle<> coroutine);
  bool idle() const noexcept;
  std::span<const common::SelectorEvent> wait(std::optional<Duration> max_wait);
  void step(Waiter& waiter);
  void release_finished_tasks();

  std::unique_ptr<common::Selector> selector_;
  std::function<TimePoint()> now_;
  LoopObserver* observer_;
  WaiterList ready_;
  std::map<TimePoint, TimerBatch> timers_;  // ordered by deadline: begin() is due first
  std::size_t timer_count_ = 0;
  TimePoint time_;  // the loop's time (see "Time" above)
  TaskPromiseBase* current_task_ = nullptr;
  bool running_ = false;
  std::list<Spawned> spawned_;      // create_task's tasks, alive
  std::vector<Spawned*> finished_;  // ended during the current step: destroyed after it
};

// Where a task of its own (created by create_task, gather, wait_for, run_until_complete)
// waits for its first step, and how its end is heard: by the observer, then by `join`.
class TaskStart final : public Waiter, public Join {
 public:
  explicit TaskStart(EventLoop& loop) noexcept : loop_(&loop) {}
  ~TaskStart();
  TaskStart(TaskStart&& other) noexcept : loop_(other.loop_) {}  // only while not started

  // Starts `task` at the next turn; `join` hears when it finishes.
  template <typename T>
  void start(Task<T>& task, Join& join, const char* what) {
    TaskPromiseBase& promise = detail::TaskAccess::startable(task, what);
    start(promise, detail::TaskAccess::handle(task), join);
  }
  void start(TaskPromiseBase& promise, std::coroutine_handle<> coroutine, Join& join);

 private:
  std::coroutine_handle<> task_done(TaskPromiseBase& task) noexcept override;
  EventLoop* loop_;
  Join* join_ = nullptr;  // set while started
};

// A coroutine waiting for a deadline. RAII: destroying it removes the timer.
class TimerWait : public Waiter {
 public:
  explicit TimerWait(EventLoop& loop) noexcept : loop_(&loop) {}
  ~TimerWait() { cancel(); }
  // Resumes `coroutine` (through the ready list) once the loop's time reaches `deadline`.
  void start(TimePoint deadline, std::coroutine_handle<> coroutine);
  void cancel() noexcept;  // removes the timer, or the wake-up it already caused
  EventLoop& loop() const noexcept { return *loop_; }

 private:
  friend class EventLoop;
  EventLoop* loop_;
  EventLoop::TimerBatch* batch_ = nullptr;  // while the timer is set
};

// A coroutine waiting for a file descriptor. RAII: destroying it unregisters the fd.
class FdWait : public Waiter {
 public:
  explicit FdWait(EventLoop& loop) noexcept : loop_(&loop) {}
  ~FdWait() { cancel(); }
  // Resumes `coroutine` once `fd` is ready for `events` (common::EVENT_READ / EVENT_WRITE).
  // Throws what the Selector throws (select: fd >= FD_SETSIZE); nothing is registered then.
  void start(int fd, std::uint32_t events, std::coroutine_handle<> coroutine);
  void cancel() noexcept;  // unregisters the fd, or removes the wake-up it already caused

 private:
  friend class EventLoop;
  EventLoop* loop_;
  int fd_ = -1;  // registered with the selector while >= 0
};

}  // namespace stage4
