// event_loop.hpp: EventLoop, asyncio's event loop for C++20 coroutines (a ready list,
// timers and a Selector, nothing else), and sleep(), its simplest awaitable.
//
// One turn (run_once), as asyncio's _run_once: 1. select(), blocking until a socket is
// ready or the next timer is due, but not at all when something is ready already; 2. the
// coroutines whose socket is ready, then those whose timer is due, join the ready list;
// 3. step each coroutine that was ready then: resume it until it suspends again.
//
// Who owns what. The loop owns create_task's tasks and its timer batches. It does not own
// the coroutines it resumes: it links Waiters that live in their frames (waiter.hpp).
// Tasks must not outlive their loop. Time: the loop's time() is read when select() returns,
// and moves on after a step only once the clock is 1 ms past it (libuv's loop time is read
// once per turn); sleep(d) counts from it, so coroutines that sleep in one turn share a
// deadline: one timer batch.
#pragma once

#include <chrono>
#include <coroutine>
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

// What --trace-loop, --debug and task names see of the loop (extras/loop_trace.hpp). The
// loop (and TaskStart, its record of a task of its own) calls these hooks if it has an
// observer; Task, the awaitables, gather and wait_for know nothing of them. `what` reads
// "fd 5 readable" or "timer 0.300 s". noexcept: a hook that threw mid-turn would leave
// tasks neither ready nor waiting.
class LoopObserver {
 public:
  virtual void task_named(const TaskPromiseBase&, std::string_view /*name*/) noexcept {}
  virtual void task_started(const TaskPromiseBase&) noexcept {}  // a task of its own (TaskStart)
  virtual void task_ended(const TaskPromiseBase&) noexcept {}
  virtual void step_began(const TaskPromiseBase*) noexcept {}
  virtual void step_ended(const TaskPromiseBase*, TimePoint /*now*/) noexcept {}
  virtual void suspended(const TaskPromiseBase*, std::string_view /*what*/) noexcept {}
  virtual void woken(const TaskPromiseBase*, std::string_view /*what*/) noexcept {}
  virtual void selected(std::span<const common::SelectorEvent>, Duration,
                        TimePoint /*now*/) noexcept {}

 protected:
  ~LoopObserver() = default;
};

struct LoopOptions {
  common::SelectorKind selector = common::default_selector_kind();
  std::function<TimePoint()> now = common::Clock::now;  // tests pass one they move; no throw
  LoopObserver* observer = nullptr;
};

class TimerWait;
class FdWait;

class EventLoop {
 public:
  explicit EventLoop(LoopOptions options = {});
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Runs the loop until `task` finishes; its value, or its exception rethrown.
  template <typename T>
  T run_until_complete(Task<T> task) {
    run_until_done(task.startable("run_until_complete"), task.handle());
    return task.result();
  }
  // Spawns `task`: it starts at the next turn; the loop owns it, destroys it when it ends
  // (printing on stderr an exception it let escape: asyncio's "Task exception was never
  // retrieved") or when the loop dies.
  void create_task(Task<void> task);
  void run_once(std::optional<Duration> max_wait = std::nullopt);  // one turn

  TimePoint time() const noexcept { return time_; }  // what sleep() and wait_for() count from
  std::optional<TimePoint> next_timer() const;
  std::size_t ready_count() const noexcept { return ready_.size(); }  // O(n): for tests
  std::size_t timer_count() const noexcept { return timer_count_; }
  std::size_t fd_count() const noexcept { return selector_->size(); }
  std::size_t task_count() const noexcept { return spawned_.size(); }  // create_task's, alive

  // For awaitables: the task running now; call_soon resumes `waiter` at the next turn.
  // A Join that jumps from an ending task straight into another (gather, wait_for) bypasses
  // the loop, so it says which task runs from there on; a plain co_await stays in one task.
  TaskPromiseBase* current_task() const noexcept { return current_task_; }
  void set_current_task(TaskPromiseBase* task) noexcept { current_task_ = task; }
  void call_soon(Waiter& waiter) noexcept { ready_.push_back(waiter); }
  LoopObserver* observer() const noexcept { return observer_; }
  template <typename T>  // the name --trace-loop and --debug print (asyncio: Task.set_name)
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
  void release_finished_tasks();
  void add_timer(TimerWait& timer, TimePoint deadline);  // for the awaitables below
  void watch(FdWait& wait);

  std::unique_ptr<common::Selector> selector_;
  std::function<TimePoint()> now_;
  LoopObserver* observer_;
  TimePoint time_;
  WaiterList ready_;
  std::map<TimePoint, TimerBatch> timers_;  // ordered by deadline: begin() is due first
  std::size_t timer_count_ = 0;
  TaskPromiseBase* current_task_ = nullptr;
  bool running_ = false;            // inside run_once: it must not be entered again from a step
  std::list<Spawned> spawned_;      // create_task's tasks, alive
  std::vector<Spawned*> finished_;  // ended during this step: destroyed after it
};

// Where a task of its own (of create_task, gather, wait_for, run_until_complete) waits for
// its first step, and where its end is heard: by the observer, then by `join`.
class TaskStart final : public Waiter, public Join {
 public:
  explicit TaskStart(EventLoop& loop) noexcept : loop_(&loop) {}
  TaskStart(TaskStart&& other) noexcept : loop_(other.loop_) {}  // only before start()
  void start(TaskPromiseBase& promise, std::coroutine_handle<> coroutine, Join& join);

 private:
  std::coroutine_handle<> task_done(TaskPromiseBase& task) noexcept override;
  EventLoop* loop_;
  Join* join_ = nullptr;
};

// The loop's two awaitables: a deadline and a socket. Each is a Waiter that lives in the
// waiting frame (the compiler keeps a co_await's awaiter there until it resumes), so RAII
// does the cancelling: destroying a suspended task removes its timer, unregisters its fd.
// Shortcuts a real runtime does not take: an fd is registered and unregistered at every
// wait (two epoll_ctl calls; tokio registers once, edge-triggered), one coroutine at a
// time may wait on an fd, and timers sit in a std::map (a heap or a timer wheel is cheaper).

// `co_await sleep(loop, 10ms)`, asyncio.sleep (zero or less: yield once, to the back of
// the ready list). Stage 3 needed a Future and a callback per sleep; this is both.
class TimerWait : public Waiter {
 public:
  explicit TimerWait(EventLoop& loop, Duration delay = {}) noexcept : loop_(&loop), delay_(delay) {}
  ~TimerWait() { cancel(); }
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> sleeping);
  void await_resume() const noexcept {}
  void start(TimePoint deadline, std::coroutine_handle<> coroutine);  // wait_for's timer
  void cancel() noexcept;  // removes the timer, or the wake-up it already caused

 private:
  friend class EventLoop;
  EventLoop* loop_;
  Duration delay_;
  EventLoop::TimerBatch* batch_ = nullptr;  // while the timer is set
};

template <typename Rep, typename Period>
TimerWait sleep(EventLoop& loop, std::chrono::duration<Rep, Period> delay) {
  return TimerWait(loop, std::chrono::ceil<Duration>(delay));
}

// [docs:stage4-fd-awaiter]
// `co_await readable(loop, fd)` / `writable(loop, fd)`: until the Selector says the socket
// is ready. Throws what the Selector throws (select: fd >= FD_SETSIZE), not suspending then.
// The registration always ends before the socket's owner closes it (the socket was opened
// first and dies last). Stage 3's callback resolved a Future that woke the Task; this
// registration points straight at the coroutine.
class FdWait : public Waiter {
 public:
  FdWait(EventLoop& loop, int fd, std::uint32_t events) noexcept
      : loop_(&loop), fd_(fd), events_(events) {}
  ~FdWait() { cancel(); }
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> waiting);
  void await_resume() const noexcept {}
  void cancel() noexcept;  // unregisters the fd, or removes the wake-up it already caused

 private:
  friend class EventLoop;
  EventLoop* loop_;
  int fd_;
  std::uint32_t events_;
  bool registered_ = false;
};

inline FdWait readable(EventLoop& loop, int fd) {
  return FdWait(loop, fd, common::EVENT_READ);
}
inline FdWait writable(EventLoop& loop, int fd) {
  return FdWait(loop, fd, common::EVENT_WRITE);
}
// [/docs]

}  // namespace stage4
