// event_loop.hpp: EventLoop, asyncio's event loop for C++20 coroutines: a ready list,
// timers and a Selector, and nothing else; and sleep(), its simplest awaitable.
//
// One turn of the loop (run_once), as asyncio's _run_once:
//   1. select(): block until a socket is ready or the next timer is due, but not at all
//      when something is already ready;
//   2. the coroutines whose socket is ready, then those whose timer is due, join the
//      ready list (timers due at the same instant form one batch: one lookup for all);
//   3. step each coroutine that was ready then: resume it until it suspends again.
//      Whatever becomes ready meanwhile waits for the next turn.
//
// Who owns what. The loop owns the tasks given to create_task and its timer batches. It
// does not own the coroutines it resumes: it links Waiters that live in their frames
// (waiter.hpp). Tasks must not outlive their loop (the loop destroys its own).
//
// Time. The loop reads its clock once per turn, and again after a step that leaves it
// 1 ms or more behind (libuv caches its time the same way). sleep(d) counts from that
// reading, so the coroutines that sleep in one turn share one deadline: one timer batch.
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

// What --trace-loop, --debug and task names see of the loop (extras/loop_trace.hpp): the
// loop calls these few hooks, when it has an observer, and nothing else in the runtime
// knows they exist. `what` reads "fd 5 readable", "timer 0.300 s".
class LoopObserver {
 public:
  virtual void task_named(const TaskPromiseBase&, std::string_view /*name*/) {}
  virtual void task_started(const TaskPromiseBase&) {}   // a task of its own (TaskStart)
  virtual void task_done(const TaskPromiseBase&) {}      // it returned or threw
  virtual void task_released(const TaskPromiseBase&) {}  // its TaskStart is gone
  virtual void step_began(const TaskPromiseBase*) {}
  virtual void step_ended(const TaskPromiseBase*, TimePoint /*now*/) {}
  virtual void suspended(const TaskPromiseBase*, std::string_view /*what*/) {}
  virtual void woken(const TaskPromiseBase*, std::string_view /*what*/) {}
  virtual void selected(std::span<const common::SelectorEvent>, Duration, TimePoint /*now*/) {}

 protected:
  ~LoopObserver() = default;
};

struct LoopOptions {
  common::SelectorKind selector = common::default_selector_kind();
  std::function<TimePoint()> now = common::Clock::now;  // tests pass a clock they move
  LoopObserver* observer = nullptr;
};

class EventLoop {
 public:
  explicit EventLoop(LoopOptions options = {});
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Runs the loop until `task` finishes; returns its value or rethrows its exception.
  template <typename T>
  T run_until_complete(Task<T> task) {
    run_until_done(task.startable("run_until_complete"), task.handle());
    return task.result();
  }
  // Spawns `task`: it starts at the next turn; the loop owns it and destroys its frame when
  // it ends, printing on stderr an exception it let escape (asyncio: "Task exception was
  // never retrieved"). Tasks still running when the loop dies are destroyed.
  void create_task(Task<void> task);
  void run_once(std::optional<Duration> max_wait = std::nullopt);  // one turn

  TimePoint time() const noexcept { return time_; }  // what sleep() and wait_for() count from
  std::optional<TimePoint> next_timer() const;
  std::size_t ready_count() const noexcept { return ready_.size(); }
  std::size_t timer_count() const noexcept { return timer_count_; }
  std::size_t fd_count() const noexcept { return selector_->size(); }
  std::size_t task_count() const noexcept { return spawned_.size(); }  // create_task's, alive

  // For awaitables: the task running now, and call_soon (resume `waiter` next turn).
  TaskPromiseBase* current_task() const noexcept { return current_task_; }
  void set_current_task(TaskPromiseBase* task) noexcept { current_task_ = task; }
  void call_soon(Waiter& waiter) noexcept { ready_.push_back(waiter); }
  LoopObserver* observer() const noexcept { return observer_; }
  // The name --trace-loop and --debug print for `task` (asyncio: Task.set_name).
  template <typename T>
  void set_name(Task<T>& task, std::string_view name) {
    if (observer_) observer_->task_named(task.startable("set_name"), name);
  }

 private:
  friend class TaskStart;
  friend class TimerWait;
  friend class FdWait;
  struct Spawned;
  struct TimerBatch {  // every timer due at one instant: one map entry
    explicit TimerBatch(TimePoint due) noexcept : deadline(due) {}
    TimePoint deadline;
    WaiterList waiters;
  };

  void run_until_done(TaskPromiseBase& promise, std::coroutine_handle<> coroutine);
  std::span<const common::SelectorEvent> wait(std::optional<Duration> max_wait);
  void step(Waiter& waiter);

  std::unique_ptr<common::Selector> selector_;
  std::function<TimePoint()> now_;
  LoopObserver* observer_;
  TimePoint time_;  // the loop's time (see "Time" above)
  WaiterList ready_;
  std::map<TimePoint, TimerBatch> timers_;  // ordered by deadline: begin() is due first
  std::size_t timer_count_ = 0;
  TaskPromiseBase* current_task_ = nullptr;
  std::list<Spawned> spawned_;      // create_task's tasks, alive
  std::vector<Spawned*> finished_;  // ended during this step: destroyed after it
};

// Where a task of its own (started by create_task, gather, wait_for, run_until_complete)
// waits for its first step, and where its end is heard: by the observer, then by `join`.
class TaskStart final : public Waiter, public Join {
 public:
  explicit TaskStart(EventLoop& loop) noexcept : loop_(&loop) {}
  TaskStart(TaskStart&& other) noexcept : loop_(other.loop_) {}  // only before start()
  ~TaskStart();
  void start(TaskPromiseBase& promise, std::coroutine_handle<> coroutine, Join& join);

 private:
  std::coroutine_handle<> task_done(TaskPromiseBase& task) noexcept override;
  EventLoop* loop_;
  Join* join_ = nullptr;  // once started
};

// A coroutine waiting for a deadline. RAII: destroying it removes the timer.
class TimerWait : public Waiter {
 public:
  explicit TimerWait(EventLoop& loop) noexcept : loop_(&loop) {}
  ~TimerWait() { cancel(); }
  void start(TimePoint deadline, std::coroutine_handle<> coroutine);
  void cancel() noexcept;  // removes the timer, or the wake-up it already caused
  EventLoop& loop() const noexcept { return *loop_; }

 private:
  friend class EventLoop;
  EventLoop* loop_;
  EventLoop::TimerBatch* batch_ = nullptr;  // while the timer is set
};

// A coroutine waiting for a socket. RAII: destroying it unregisters the fd. start() throws
// what the Selector throws (select: fd >= FD_SETSIZE); nothing is registered then.
class FdWait : public Waiter {
 public:
  explicit FdWait(EventLoop& loop) noexcept : loop_(&loop) {}
  ~FdWait() { cancel(); }
  void start(int fd, std::uint32_t events, std::coroutine_handle<> coroutine);
  void cancel() noexcept;  // unregisters the fd, or removes the wake-up it already caused

 private:
  friend class EventLoop;
  EventLoop* loop_;
  int fd_ = -1;  // registered with the selector while >= 0
};

// [docs:stage4-sleep]
// `co_await sleep(loop, 10ms)`, asyncio.sleep; zero or less: yield once, to the back of
// the ready list. The awaiter, and so the timer, lives in the sleeping frame: destroying
// the sleeping task removes the timer. Stage 3 needed a Future and a callback per sleep.
class SleepAwaiter {
 public:
  SleepAwaiter(EventLoop& loop, Duration duration) noexcept : timer_(loop), duration_(duration) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> sleeping) {
    EventLoop& loop = timer_.loop();
    if (duration_ > Duration::zero()) return timer_.start(loop.time() + duration_, sleeping);
    timer_.handle = sleeping;  // just yield: the others run first
    timer_.task = loop.current_task();
    loop.call_soon(timer_);
  }
  void await_resume() const noexcept {}

 private:
  TimerWait timer_;
  Duration duration_;
};
// [/docs]

template <typename Rep, typename Period>
SleepAwaiter sleep(EventLoop& loop, std::chrono::duration<Rep, Period> duration) {
  return SleepAwaiter(loop, std::chrono::ceil<Duration>(duration));
}

}  // namespace stage4
