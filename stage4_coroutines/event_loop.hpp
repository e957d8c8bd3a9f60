// event_loop.hpp: EventLoop, asyncio's event loop for C++20 coroutines: a ready list,
// timers and a Selector, and nothing else.
//
// Public API:
//   EventLoop loop({.selector = SelectorKind::poll});   every option has a default
//   T loop.run_until_complete(Task<T>)  runs the loop until the task finishes; returns its
//                               value or rethrows its exception
//   loop.create_task(Task<void>)  spawns a task the loop then owns (and destroys when it ends)
//   loop.run_until_idle()       runs until nothing is ready, no timer is set, no fd watched
//   loop.run_once(max_wait)     one turn (tests and exercises drive the loop with it)
//   loop.time()                 the loop's clock; sleep() counts from it
//   loop.ready_count(), timer_count(), fd_count(), task_count()   what the loop holds
// Awaitables (sleep.hpp, socket_awaiters.hpp, future.hpp, gather.hpp, wait_for.hpp) use
//   TimerWait, FdWait (below), call_soon(Waiter&) and current_task().
//
// One turn of the loop (run_once), as asyncio's _run_once:
//   1. select(): block until a socket is ready or the next timer is due, but not at all
//      when something is already ready (the loop blocks only when nothing is ready);
//   2. the coroutines whose socket is ready, then those whose timer is due, join the
//      ready list (timers due at the same instant form one batch: one lookup for all);
//   3. run each coroutine that was ready at that point, one step each: resume it until it
//      suspends again. Whatever becomes ready meanwhile waits for the next turn.
//
// Who owns what. The loop owns the tasks given to create_task, its Selector and its timer
// batches. It does not own the coroutines it resumes: it holds Waiters that live in their
// frames (waiter.hpp), and a frame that is destroyed takes its Waiters out of the loop.
// Tasks must not outlive their loop: destroy them first (the loop destroys its own).
//
// Time. The loop reads the clock once per turn and again after any step that leaves it
// 1 ms or more behind (libuv caches its time the same way; the per-step reading also
// times steps for --debug). sleep(d) counts from that reading, so coroutines started in
// the same turn share one deadline, and one timer batch. On Linux the loop wakes through
// a timerfd, to the nanosecond: epoll_wait counts in milliseconds, and rounding every
// wake-up up to the next millisecond would make 1,000 sleeps of 10 ms take up to 11 s.
#pragma once

#include <chrono>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/fd.hpp"
#include "common/selector.hpp"
#include "stage4_coroutines/task.hpp"
#include "stage4_coroutines/waiter.hpp"

namespace stage4 {

using common::TimePoint;
using Duration = std::chrono::nanoseconds;

// A clock that only moves when told, for tests: a loop given one never sleeps for a
// timer. When it would wait, it polls its sockets and jumps the clock to the next
// deadline instead, so a test of sleep(1h) takes no real time at all.
class VirtualClock {
 public:
  TimePoint now() const noexcept { return now_; }
  void advance(Duration by) noexcept { now_ += by; }

 private:
  TimePoint now_{};
};

struct LoopOptions {
  common::SelectorKind selector = common::default_selector_kind();
  VirtualClock* clock = nullptr;  // nullptr: the real clock (common::Clock)
  // --debug: warn when one step runs longer than slow_step without yielding
  // (asyncio's slow_callback_duration, 100 ms there too).
  bool debug = false;
  Duration slow_step = std::chrono::milliseconds(100);
  // --trace-loop: one line per step, suspension, resolved future and select() wake-up.
  bool trace = false;
  std::ostream* log = nullptr;  // where warnings and traces go; nullptr: std::cerr
};

class TimerWait;
class FdWait;

// "0.300 s": how durations read in traces and warnings.
std::string seconds_text(Duration duration);

class EventLoop {
 public:
  explicit EventLoop(LoopOptions options = {});
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Runs the loop until `task` finishes; returns its value or rethrows its exception.
  // Throws std::logic_error if the task waits for something nothing can ever do (no
  // task ready, no timer, no socket watched), rather than hanging.
  template <typename T>
  T run_until_complete(Task<T> task) {
    run_until_done(detail::TaskAccess::promise(task), detail::TaskAccess::handle(task));
    return detail::TaskAccess::take_result(task);
  }

  // Spawns `task`: it starts at the next turn, the loop owns it and destroys its frame
  // when it ends. An exception it lets escape is printed on the log (asyncio: "Task
  // exception was never retrieved"). Tasks still running when the loop dies are destroyed.
  void create_task(Task<void> task);

  // Runs until nothing is ready, no timer is set and no fd is watched: every task has
  // ended (or waits for a Future nobody will set).
  void run_until_idle();
  // One turn; select() blocks at most `max_wait` (nullopt: as long as needed).
  void run_once(std::optional<Duration> max_wait = std::nullopt);

  // The loop's clock (see "Time" above): what sleep() and wait_for() count from.
  TimePoint time() const noexcept { return time_; }

  std::size_t ready_count() const noexcept { return ready_.size(); }
  std::size_t timer_count() const noexcept { return timer_count_; }
  std::size_t fd_count() const noexcept;
  std::size_t task_count() const noexcept { return task_count_; }  // create_task's, alive

  // For awaitables.
  // The task running now: the one whose Waiter was resumed (or who took over through a Join).
  TaskPromiseBase* current_task() const noexcept { return current_task_; }
  void set_current_task(TaskPromiseBase* task) noexcept { current_task_ = task; }
  // Resume `waiter` at the next turn (asyncio's call_soon).
  void call_soon(Waiter& waiter) noexcept { ready_.push_back(waiter); }
  // --trace-loop, in stage 3's format: "[  0.000123] step     request 7". Callers skip
  // the formatting unless tracing() is true.
  bool tracing() const noexcept { return trace_; }
  void trace(std::string_view event, std::string_view detail);
  // "await    <current task> waits for <what>" (stage 3 says "yield": it yields a future).
  void trace_suspend(std::string_view what);
  // "return   <task> is done" (or "failed"), when a task of its own ends.
  void trace_return(const TaskPromiseBase& task);
  std::string task_name(const TaskPromiseBase* task) const;
  // Called for every task of its own (create_task, gather, wait_for, run_until_complete):
  // when tracing or debugging, an unnamed one is named "Task-<n>", as asyncio does.
  void name_if_unnamed(TaskPromiseBase& task);

 private:
  friend class TimerWait;
  friend class FdWait;

  // Every timer due at the same instant: one map entry, one list of waiting coroutines.
  struct TimerBatch {
    explicit TimerBatch(TimePoint due) noexcept : deadline(due) {}
    TimePoint deadline;
    WaiterList waiters;
  };
  // A task given to create_task: the loop's to run and to destroy.
  struct Spawned final : Join {
    std::coroutine_handle<> task_done(TaskPromiseBase& task) noexcept override;
    EventLoop* loop = nullptr;
    Task<void> task;
    Waiter start;  // its place in the ready list until its first step
  };

  void run_until_done(TaskPromiseBase& promise, std::coroutine_handle<> coroutine);
  bool idle() const noexcept;
  TimePoint read_clock() const noexcept;
  std::span<const common::SelectorEvent> wait(std::optional<Duration> timeout);
  void arm_wakeup();
  void trace_select(std::span<const common::SelectorEvent> events, Duration waited);
  void expire_timers();
  void step(Waiter& waiter);
  void release_finished_tasks();

  std::unique_ptr<common::Selector> selector_;
  VirtualClock* clock_;
  bool debug_;
  Duration slow_step_;
  bool trace_;
  std::ostream* log_;

  WaiterList ready_;
  std::map<TimePoint, TimerBatch> timers_;  // ordered by deadline: begin() is due first
  std::size_t timer_count_ = 0;
  TimePoint started_;
  TimePoint time_;          // the loop's time (see "Time" above)
  TimePoint last_reading_;  // when the current step began, for --debug
  TaskPromiseBase* current_task_ = nullptr;
  std::size_t tasks_started_ = 0;
  bool running_ = false;

  std::deque<Spawned> spawned_;     // a deque: its elements never move (Waiters point in)
  std::vector<Spawned*> free_;      // slots of spawned_ to reuse
  std::vector<Spawned*> finished_;  // ended during the current step: destroyed after it
  std::size_t task_count_ = 0;

  common::Fd timerfd_;  // Linux: wakes select() at the next deadline, to the nanosecond
  std::optional<TimePoint> timerfd_deadline_;
};

// A coroutine waiting for a deadline. RAII: destroying it removes the timer.
class TimerWait : public Waiter {
 public:
  explicit TimerWait(EventLoop& loop) noexcept : loop_(&loop) {}
  ~TimerWait() { cancel(); }

  // Resumes `coroutine` (through the ready list) once the loop's time reaches `deadline`.
  void start(TimePoint deadline, std::coroutine_handle<> coroutine);
  // Removes the timer, or the wake-up it already caused: nothing will resume `coroutine`.
  void cancel() noexcept;
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
  // Throws what the Selector throws (the select backend: fd >= FD_SETSIZE); nothing is
  // registered then. One coroutine at a time may wait on a given fd.
  void start(int fd, std::uint32_t events, std::coroutine_handle<> coroutine);
  // Unregisters the fd, or removes the wake-up it already caused.
  void cancel() noexcept;
  EventLoop& loop() const noexcept { return *loop_; }

 private:
  friend class EventLoop;
  EventLoop* loop_;
  int fd_ = -1;  // registered with the selector while >= 0
};

}  // namespace stage4
