// event_loop.hpp: EventLoop, asyncio's event loop for C++20 coroutines (a ready list,
// timers and a Selector, nothing else), and its two awaitables: sleep() and readable().
// It does not own the coroutines it resumes: it links Waiters in their frames (waiter.hpp);
// tasks must not outlive it. time() is the clock read when select() returns, moved on after
// a step only once the clock has run 1 ms past it; sleep(d) counts from it, so coroutines
// that sleep in one turn share a deadline, one timer batch (libuv reads its clock per turn).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string_view>

#include "common/clock.hpp"
#include "common/selector.hpp"
#include "stage4_coroutines/task.hpp"
#include "stage4_coroutines/waiter.hpp"

namespace stage4 {

using common::TimePoint;
using Duration = std::chrono::nanoseconds;

// What --trace-loop, --debug and task names see (extras/loop_trace.hpp); the loop, TaskStart
// and extras' Future call it. A task pointer is an identity to compare, never to read: the
// task may be gone by step_ended. noexcept: a hook that threw mid-turn would strand tasks.
struct LoopObserver {
  virtual void task_named(const TaskPromiseBase&, std::string_view /*name*/) noexcept {}
  virtual void task_started(const TaskPromiseBase&) noexcept {}
  virtual void task_ended(const TaskPromiseBase&) noexcept {}
  virtual void step_began(const TaskPromiseBase*) noexcept {}
  virtual void step_ended(const TaskPromiseBase*, TimePoint /*now*/) noexcept {}
  virtual void suspended(const TaskPromiseBase*, std::string_view /*on*/) noexcept {}
  virtual void woken(const TaskPromiseBase*, std::string_view /*by*/) noexcept {}
  virtual void selected(std::span<const common::SelectorEvent>, Duration, TimePoint) noexcept {}
  virtual ~LoopObserver() = default;
};

struct LoopOptions {
  common::SelectorKind selector = common::default_selector_kind();
  std::function<TimePoint()> now = common::Clock::now;  // tests pass one they move; no throw
  LoopObserver* observer = nullptr;
};

class TimerWait;  // the loop's awaitables, below
class FdWait;
class EventLoop {
 public:
  explicit EventLoop(LoopOptions options = {});  // on the selector options.selector names
  EventLoop(std::unique_ptr<common::Selector> selector, LoopOptions options);  // stage 5's ring
  // Runs the loop until `task` finishes; its value, or its exception rethrown.
  template <typename T>
  T run_until_complete(Task<T> task) {
    run_until_done(task.startable("run_until_complete"), task.handle());
    return task.result();
  }
  void run_once(std::optional<Duration> max_wait = std::nullopt);  // one turn
  TimePoint time() const noexcept { return time_; }  // what sleep() and wait_for() count from
  // For awaitables: what `waiter` resumes (in the task stepping now), and resume it soon.
  void park(Waiter& waiter, std::coroutine_handle<> coroutine) noexcept {
    waiter.handle = coroutine;
    waiter.task = current_task_;
  }
  void call_soon(Waiter& waiter) noexcept { ready_.push_back(waiter); }
  LoopObserver* observer() const noexcept { return observer_; }
  template <typename T>  // the name --trace-loop and --debug print (asyncio: Task.set_name)
  void set_name(Task<T>& task, std::string_view name) {
    TaskPromiseBase& promise = task.startable("set_name");
    if (observer_) observer_->task_named(promise, name);
  }

 private:
  friend class TaskStart;
  friend class TimerWait;
  friend class FdWait;
  friend struct LoopProbe;  // what tests look at (tests/stage4_coroutines/loop_probe.hpp)
  bool idle() const noexcept { return ready_.empty() && timers_.empty() && !selector_->size(); }
  void run_until_done(TaskPromiseBase& promise, std::coroutine_handle<> coroutine);
  void add_timer(TimerWait& timer, TimePoint deadline);  // for the awaitables below
  void watch(FdWait& wait);
  std::unique_ptr<common::Selector> selector_;
  std::function<TimePoint()> now_;
  LoopObserver* observer_;
  TimePoint time_;
  WaiterList ready_;
  std::map<TimePoint, WaiterList> timers_;   // a batch per deadline; begin() is due first
  TaskPromiseBase* current_task_ = nullptr;  // whose step it is, for the observer
};

// Where a task of its own (of gather, wait_for, run_until_complete) waits for its first
// step, and where its end is heard: by the observer, then by `join` (none: the loop).
class TaskStart final : public Waiter, public Join {
 public:
  void start(EventLoop& loop, TaskPromiseBase& promise, std::coroutine_handle<> coroutine,
             Join* join) {
    loop_ = &loop;
    join_ = join;
    parent_ = loop_->current_task_;
    promise.join = this;
    handle = coroutine;
    task = &promise;
    if (loop_->observer_) loop_->observer_->task_started(promise);
    loop_->call_soon(*this);
  }

 private:
  std::coroutine_handle<> task_done(TaskPromiseBase& promise) noexcept override {
    if (loop_->observer_) loop_->observer_->task_ended(promise);
    loop_->current_task_ = parent_;  // `join` may jump straight back into the parent
    return join_ ? join_->task_done(promise) : std::noop_coroutine();
  }
  EventLoop* loop_ = nullptr;
  Join* join_ = nullptr;
  TaskPromiseBase* parent_ = nullptr;  // the task that started this one
};

// The loop's two awaitables. Each is a Waiter in the waiting frame, so RAII cancels:
// destroying a suspended task removes its timer, unregisters its fd. Shortcuts a real
// runtime does not take: an fd is registered at every wait (tokio registers once), one
// coroutine at a time may wait on an fd, and timers sit in a std::map, not a timer wheel.
// [docs:stage4-sleep]
// `co_await sleep(loop, 10ms)`, asyncio.sleep (zero or less: yield once, to the back of
// the ready list). Stage 3 needed a Future and a callback per sleep; this is both.
class TimerWait : public Waiter {
 public:
  TimerWait(EventLoop& loop, Duration delay) noexcept : loop_(&loop), delay_(delay) {}
  ~TimerWait() { cancel(); }
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> sleeping) {
    loop_->park(*this, sleeping);
    if (delay_ > Duration::zero()) return loop_->add_timer(*this, loop_->time() + delay_);
    loop_->call_soon(*this);  // just yield: the others run first
  }
  void await_resume() const noexcept {}
  void cancel() noexcept {  // removes the timer, or the wake-up it already caused
    unlink();               // a batch left empty goes: only its own can be (a fired one is gone)
    auto batch = loop_->timers_.find(deadline_);
    if (batch != loop_->timers_.end() && batch->second.empty()) loop_->timers_.erase(batch);
  }

 private:
  friend class EventLoop;
  EventLoop* loop_;
  Duration delay_;
  TimePoint deadline_;  // once set: its batch is timers_[deadline_]
};

template <typename Rep, typename Period>
TimerWait sleep(EventLoop& loop, std::chrono::duration<Rep, Period> delay) {
  return TimerWait(loop, std::chrono::ceil<Duration>(delay));
}
// [/docs]

// [docs:stage4-fd-awaiter]
// `co_await readable(loop, fd)` / `writable(loop, fd)`: until the Selector says the socket
// is ready (it throws if it refuses the fd: select's FD_SETSIZE). Stage 3's callback
// resolved a Future that woke the Task; this registration points straight at the coroutine.
class FdWait : public Waiter {
 public:
  FdWait(EventLoop& loop, int fd, std::uint32_t events) noexcept
      : loop_(&loop), fd_(fd), events_(events) {}
  ~FdWait() { cancel(); }
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> waiting) {
    loop_->park(*this, waiting);
    loop_->watch(*this);
  }
  void await_resume() noexcept { cancel(); }  // the loop only queued it: unregister here
  void cancel() noexcept {  // unregisters the fd, or removes the wake-up it already caused
    unlink();
    if (registered_) loop_->selector_->unregister(fd_);
    registered_ = false;
  }

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
