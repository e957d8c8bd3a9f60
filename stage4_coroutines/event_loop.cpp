// event_loop.cpp: the turn of the loop, its timers, and the Waiters that leave it.
#include "stage4_coroutines/event_loop.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <iostream>
#include <stdexcept>

#if defined(__linux__)
#include <sys/timerfd.h>
#include <unistd.h>
#endif

#include "common/net.hpp"

namespace stage4 {

namespace {

// When a step ends this far past the loop's time, the time moves on (see "Time" in event_loop.hpp).
constexpr Duration time_refresh = std::chrono::milliseconds(1);

// "fd 5 readable", for the trace.
std::string describe(const common::SelectorEvent& event) {
  std::string text = "fd " + std::to_string(event.fd);
  if (event.events & common::EVENT_READ) text += " readable";
  if (event.events & common::EVENT_WRITE) text += " writable";
  return text;
}

}  // namespace

std::string seconds_text(Duration duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f s", common::Seconds(duration).count());
  return text;
}

EventLoop::EventLoop(LoopOptions options)
    : selector_(common::make_selector(options.selector)),
      clock_(options.clock),
      debug_(options.debug),
      slow_step_(options.slow_step),
      trace_(options.trace),
      log_(options.log ? options.log : &std::cerr) {
  started_ = time_ = last_reading_ = read_clock();
#if defined(__linux__)
  if (!clock_) {
    // steady_clock is CLOCK_MONOTONIC on Linux, so a deadline converts as it is.
    timerfd_.reset(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
    if (!timerfd_) throw common::NetError("timerfd_create", errno);
    selector_->register_fd(timerfd_.get(), common::EVENT_READ, &timerfd_);
  }
#endif
}

EventLoop::~EventLoop() {
  // Destroy the tasks we own while the selector and the timers they unregister from
  // are still here.
  for (Spawned& spawned : spawned_) spawned.task = Task<void>();
  if (timerfd_) selector_->unregister(timerfd_.get());
}

TimePoint EventLoop::read_clock() const noexcept {
  return clock_ ? clock_->now() : common::Clock::now();
}

std::size_t EventLoop::fd_count() const noexcept {
  return selector_->size() - (timerfd_ ? 1 : 0);
}

bool EventLoop::idle() const noexcept {
  return ready_.empty() && timers_.empty() && fd_count() == 0;
}

// [docs:stage4-run-until-complete]
void EventLoop::run_until_done(TaskPromiseBase& promise, std::coroutine_handle<> coroutine) {
  if (running_) throw std::logic_error("run_until_complete: the loop is already running");
  struct Finished final : Join {
    EventLoop& loop;
    bool done = false;
    explicit Finished(EventLoop& owner) : loop(owner) {}
    std::coroutine_handle<> task_done(TaskPromiseBase& task) noexcept override {
      if (loop.tracing()) loop.trace_return(task);
      done = true;
      return std::noop_coroutine();  // back to the loop, which sees `done` and returns
    }
  } finished(*this);
  promise.set_join(&finished);
  name_if_unnamed(promise);
  Waiter start;  // the task's first step is the loop's first step
  start.handle = coroutine;
  start.task = &promise;
  call_soon(start);

  running_ = true;
  struct Stopped {
    bool& running;
    ~Stopped() { running = false; }  // however we leave
  } stopped{running_};
  while (!finished.done) {
    if (idle()) {
      throw std::logic_error(
          "run_until_complete: the task waits for something that cannot happen "
          "(nothing is ready, no timer is set, no fd is watched)");
    }
    run_once();
  }
}
// [/docs]

void EventLoop::run_until_idle() {
  while (!idle()) run_once();
}

void EventLoop::create_task(Task<void> task) {
  if (!task.valid()) throw std::invalid_argument("create_task: an empty task");
  Spawned* spawned = nullptr;
  if (free_.empty()) {
    spawned = &spawned_.emplace_back();
    spawned->loop = this;
  } else {
    spawned = free_.back();
    free_.pop_back();
  }
  spawned->task = std::move(task);
  TaskPromiseBase& promise = detail::TaskAccess::promise(spawned->task);
  promise.set_join(spawned);
  name_if_unnamed(promise);
  spawned->start.handle = detail::TaskAccess::handle(spawned->task);
  spawned->start.task = &promise;
  call_soon(spawned->start);
  ++task_count_;
}

std::coroutine_handle<> EventLoop::Spawned::task_done(TaskPromiseBase& promise) noexcept {
  if (loop->tracing()) loop->trace_return(promise);
  // We are inside the task's final suspend point: its frame cannot be destroyed from
  // here (its resume function is still running). The loop does it after this step.
  loop->finished_.push_back(this);
  return std::noop_coroutine();
}

void EventLoop::release_finished_tasks() {
  while (!finished_.empty()) {
    Spawned* spawned = finished_.back();
    finished_.pop_back();
    TaskPromiseBase& promise = detail::TaskAccess::promise(spawned->task);
    if (std::exception_ptr failure = promise.exception()) {
      try {
        std::rethrow_exception(failure);
      } catch (const std::exception& error) {
        *log_ << "EventLoop: task " << task_name(&promise) << " failed: " << error.what() << "\n";
      } catch (...) {
        *log_ << "EventLoop: task " << task_name(&promise) << " failed\n";
      }
    }
    spawned->task = Task<void>();  // its frame goes now
    free_.push_back(spawned);
    --task_count_;
  }
}

// [docs:stage4-run-once]
void EventLoop::run_once(std::optional<Duration> max_wait) {
  std::span<const common::SelectorEvent> events = wait(max_wait);

  // Sockets first, then timers: their coroutines join the ready list. No coroutine runs
  // before every event is taken, so none can destroy a Waiter this loop still holds.
  for (const common::SelectorEvent& event : events) {
    if (event.data == &timerfd_) {
#if defined(__linux__)
      std::uint64_t expirations = 0;  // read it, or it stays readable
      (void)!::read(timerfd_.get(), &expirations, sizeof expirations);
      timerfd_deadline_.reset();
#endif
      continue;
    }
    auto& waiter = *static_cast<FdWait*>(event.data);
    if (trace_) trace("ready", describe(event) + " -> " + task_name(waiter.task));
    selector_->unregister(waiter.fd_);
    waiter.fd_ = -1;
    call_soon(waiter);
  }
  expire_timers();

  // Run what is ready now; what becomes ready while it runs waits for the next turn.
  WaiterList running;
  running.splice(ready_);
  while (Waiter* waiter = running.pop_front()) step(*waiter);
}
// [/docs]

std::span<const common::SelectorEvent> EventLoop::wait(std::optional<Duration> max_wait) {
  // How long select() may block: not at all if something is ready, until the next
  // deadline if a timer is set, else until a socket is ready.
  std::optional<Duration> timeout;
  if (!ready_.empty()) {
    timeout = Duration::zero();
  } else if (!timers_.empty()) {
    timeout = std::max(Duration::zero(), timers_.begin()->first - read_clock());
  }
  if (max_wait) timeout = timeout ? std::min(*timeout, *max_wait) : *max_wait;
  std::span<const common::SelectorEvent> events;
  const TimePoint before = read_clock();
  if (!timeout && fd_count() == 0) {
    // Nothing could ever wake us: do not block.
  } else if (clock_) {
    // Virtual time: never sleep for a timer. Look at the sockets without waiting (or wait
    // for them, if no timer is set), and if nothing happened, jump to the next deadline.
    events = selector_->select(timeout ? std::optional(Duration::zero()) : std::nullopt);
    if (events.empty() && timeout) clock_->advance(*timeout);
  } else {
    arm_wakeup();
    events = selector_->select(timeout);
  }
  time_ = last_reading_ = read_clock();
  if (trace_ && (!events.empty() || timeout != Duration::zero()))
    trace_select(events, time_ - before);
  return events;
}

// Arms the timerfd for the next deadline (or disarms it: no timer), when select() may block.
void EventLoop::arm_wakeup() {
#if defined(__linux__)
  if (!timerfd_ || !ready_.empty()) return;  // select() will not block: leave it as it is
  std::optional<TimePoint> deadline;
  if (!timers_.empty()) deadline = timers_.begin()->first;
  if (deadline == timerfd_deadline_) return;
  itimerspec when{};  // all zero: disarmed
  if (deadline) {
    auto ns = std::max<std::int64_t>(
        1, std::chrono::duration_cast<Duration>(deadline->time_since_epoch()).count());
    when.it_value.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
    when.it_value.tv_nsec = static_cast<long>(ns % 1'000'000'000);
  }
  if (::timerfd_settime(timerfd_.get(), TFD_TIMER_ABSTIME, &when, nullptr) != 0) {
    throw common::NetError("timerfd_settime", errno);
  }
  timerfd_deadline_ = deadline;
#endif
}

void EventLoop::expire_timers() {
  while (!timers_.empty() && timers_.begin()->first <= time_) {
    TimerBatch& batch = timers_.begin()->second;
    while (Waiter* waiter = batch.waiters.pop_front()) {
      if (trace_) trace("ready", "timer due -> " + task_name(waiter->task));
      static_cast<TimerWait*>(waiter)->batch_ = nullptr;
      --timer_count_;
      call_soon(*waiter);
    }
    timers_.erase(timers_.begin());
  }
}

// [docs:stage4-step]
// One step of a task: resume its coroutine until it suspends again (or ends). This is
// stage 3's Task::step, except that the compiler wrote what happens inside.
void EventLoop::step(Waiter& waiter) {
  current_task_ = waiter.task;
  std::string name;
  if (debug_ || trace_) name = task_name(current_task_);
  if (trace_) trace("step", name);

  waiter.handle.resume();  // `waiter` may be gone now (its frame ended): not used again

  TimePoint now = read_clock();
  if (debug_ && now - last_reading_ > slow_step_) {
    *log_ << "EventLoop: " << name << " ran for " << seconds_text(now - last_reading_)
          << " without yielding (more than " << seconds_text(slow_step_)
          << "): every other task waited\n";
  }
  last_reading_ = now;
  if (now - time_ >= time_refresh) time_ = now;
  release_finished_tasks();
}
// [/docs]

void EventLoop::trace(std::string_view event, std::string_view detail) {
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "[%10.6f] ", common::Seconds(read_clock() - started_).count());
  *log_ << stamp << event << std::string(event.size() < 9 ? 9 - event.size() : 1, ' ') << detail
        << '\n';
}

void EventLoop::trace_suspend(std::string_view what) {
  trace("await", task_name(current_task_) + " waits for " + std::string(what));
}

void EventLoop::trace_return(const TaskPromiseBase& task) {
  trace("return", task_name(&task) + (task.exception() ? " failed" : " is done"));
}

// "select   woke after 0.200000 s: fd 5 readable, fd 6 readable", as stage 3 says it.
void EventLoop::trace_select(std::span<const common::SelectorEvent> events, Duration waited) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.6f", common::Seconds(waited).count());
  std::string detail = "woke after ";
  detail.append(seconds).append(" s: ");
  std::size_t shown = 0;
  for (const common::SelectorEvent& event : events) {
    if (event.data == &timerfd_) continue;  // the loop's own wake-up call
    if (++shown > 8) break;
    detail.append(shown > 1 ? ", " : "").append(describe(event));
  }
  if (shown > 8) detail.append(", ... (").append(std::to_string(events.size())).append(" fds)");
  if (shown == 0) detail.append("no fd ready (a timer is due)");
  trace("select", detail);
}

void EventLoop::name_if_unnamed(TaskPromiseBase& task) {
  ++tasks_started_;
  if ((trace_ || debug_) && task.name().empty())
    task.set_name("Task-" + std::to_string(tasks_started_));
}

std::string EventLoop::task_name(const TaskPromiseBase* task) const {
  if (!task) return "(no task)";
  if (!task->name().empty()) return std::string(task->name());
  char address[32];
  std::snprintf(address, sizeof address, "task@%p", static_cast<const void*>(task));
  return address;
}

// [docs:stage4-timer-wait]
void TimerWait::start(TimePoint deadline, std::coroutine_handle<> coroutine) {
  cancel();
  handle = coroutine;
  task = loop_->current_task();
  auto batch = loop_->timers_.try_emplace(deadline, deadline).first;  // join, or open, a batch
  batch->second.waiters.push_back(*this);
  batch_ = &batch->second;
  ++loop_->timer_count_;
}

void TimerWait::cancel() noexcept {
  unlink();  // from its batch, or from the ready list if the timer already fired
  if (!batch_) return;
  if (batch_->waiters.empty()) loop_->timers_.erase(batch_->deadline);
  batch_ = nullptr;
  --loop_->timer_count_;
}
// [/docs]

void FdWait::start(int fd, std::uint32_t events, std::coroutine_handle<> coroutine) {
  cancel();
  handle = coroutine;
  task = loop_->current_task();
  loop_->selector_->register_fd(fd, events, this);  // may throw: then nothing is registered
  fd_ = fd;
}

void FdWait::cancel() noexcept {
  unlink();  // from the ready list, if the fd was ready already
  if (fd_ < 0) return;
  loop_->selector_->unregister(fd_);  // before the socket closes (its owner closes it later)
  fd_ = -1;
}

}  // namespace stage4
