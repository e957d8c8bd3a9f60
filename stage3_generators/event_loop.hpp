// event_loop.hpp: EventLoop, the article's loop: a queue of ready tasks, the timers, and
// the Selector that says which sockets are ready.
//
// Each turn (run_once) does three things, as asyncio's loop does:
//   1. wait for I/O: block in select() only when no task is ready, and then at most until
//      the nearest timer; call the callbacks of the sockets that are ready;
//   2. resolve the timers that are due (a timer is a Future<void> the clock resolves);
//   3. step the tasks that were ready (new tasks, and those whose future is done).
//
// Public API:
//   EventLoop(selector = epoll/poll/select, now = common::Clock::now)
//       `now` is the loop's clock: tests pass one they move by hand.
//   std::shared_ptr<Task<T>> create_task(Generator<FuturePtr, T>, std::string name = "")
//       wraps the generator in a Task and schedules its first step.
//   T run_until_complete(future or task)
//       turns the loop until it is done; returns its result (or rethrows its exception).
//   void run_once()                        one turn (1-2-3 above)
//   sleep(loop, seconds)                   a Future<void> done `seconds` from now
//   void call_later(seconds, callback)     runs `callback` `seconds` from now
//   void call_when_ready(fd, events, callback), cancel_when_ready(fd)
//       I/O: runs `callback` once, when fd is ready for common::EVENT_READ / EVENT_WRITE
//   time(), next_timer(), has_ready(), task_count()   the loop's clock and what is pending
//   trace_to(&std::cerr)                   one line per step / yield / resolved / select
//
// Who owns what:
// - The loop owns the Selector, every unfinished task (see task.hpp), the timers (each
//   holds its future until it fires) and the I/O callbacks. The ready queue holds plain
//   pointers: only unfinished tasks are ever ready, and the loop owns those.
// - An I/O callback belongs to an fd number, and numbers are recycled as soon as a socket
//   is closed: cancel_when_ready(fd) before closing fd, so that no callback outlives the
//   socket it was registered for.
// - Callbacks must not throw: there is nobody to catch it (Python's loop logs it).
// - Destroying the loop first closes the generators of the tasks still unfinished (their
//   frames close their sockets, which cancel their I/O callbacks), then drops the rest
//   without running anything.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/selector.hpp"
#include "stage3_generators/future.hpp"
#include "stage3_generators/generator.hpp"
#include "stage3_generators/task.hpp"

namespace stage3 {

class EventLoop {
 public:
  using Callback = std::function<void()>;
  using Now = std::function<common::TimePoint()>;

  explicit EventLoop(common::SelectorKind selector = common::default_selector_kind(),
                     Now now = common::Clock::now);
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Tasks.
  template <typename T>
  std::shared_ptr<Task<T>> create_task(Generator<FuturePtr, T> generator, std::string name = {}) {
    auto task = std::make_shared<Task<T>>(*this, std::move(generator), std::move(name));
    adopt(task);
    return task;
  }
  // [docs:stage3-run-until-complete]
  template <typename T>
  T run_until_complete(Future<T>& future) {
    while (!future.done()) run_once();
    return future.result();
  }
  // [/docs]
  template <typename F>
  decltype(auto) run_until_complete(const std::shared_ptr<F>& future) {
    return run_until_complete(*future);
  }
  void run_once();
  bool has_ready() const noexcept { return !ready_.empty(); }
  std::size_t task_count() const noexcept { return tasks_.size(); }

  // Time.
  friend std::shared_ptr<Future<void>> sleep(EventLoop& loop, double seconds);
  void call_later(double seconds, Callback callback);
  // The loop's time. Inside a turn it is read once, when select() returns, as libuv does:
  // tasks woken together that sleep again share one deadline, so they stay together
  // instead of drifting apart by microseconds (each drift would cost a turn of its own).
  common::TimePoint time() const { return in_run_ ? turn_time_ : now_(); }
  std::optional<common::TimePoint> next_timer() const;

  // I/O.
  void call_when_ready(int fd, std::uint32_t events, Callback callback);
  void cancel_when_ready(int fd);  // nothing happens if fd has no callback

  // --trace-loop.
  void trace_to(std::ostream* out) { trace_ = out; }
  bool tracing() const noexcept { return trace_ != nullptr; }
  void trace(std::string_view event, std::string_view detail) const;

 private:
  friend class TaskBase;

  void adopt(std::shared_ptr<TaskBase> task);
  void schedule(TaskBase& task) { ready_.push_back(&task); }
  std::shared_ptr<TaskBase> release(TaskBase& task);
  std::shared_ptr<Future<void>> add_timer(double seconds);
  void wait_for_io();
  void trace_wake_up(common::Clock::duration waited,
                     std::span<const common::SelectorEvent> events) const;
  void fire_due_timers();
  void run_ready();

  // Declared first, destroyed last: the tasks' frames unregister from it as they die.
  std::unique_ptr<common::Selector> selector_;
  Now now_;
  common::TimePoint started_;         // for the trace's timestamps
  common::TimePoint turn_time_;       // time() inside a turn
  std::vector<Callback> when_ready_;  // I/O callbacks, indexed by fd
  // The timers: deadline -> the futures due then, in the order they were set. With the
  // loop's time read once per turn, the tasks that sleep in one turn share a deadline, so
  // a million sleeping tasks may be a handful of entries here.
  std::map<common::TimePoint, std::vector<std::shared_ptr<Future<void>>>> timers_;
  std::deque<TaskBase*> ready_;                   // to step, in order
  bool in_run_ = false;                           // run_once() is not reentrant
  std::vector<std::shared_ptr<TaskBase>> tasks_;  // unfinished tasks, in no order
  std::uint32_t tasks_created_ = 0;
  std::ostream* trace_ = nullptr;
};

// A future done `seconds` from now: asyncio.sleep. `co_yield sleep(loop, 0.5);`
std::shared_ptr<Future<void>> sleep(EventLoop& loop, double seconds);

}  // namespace stage3
