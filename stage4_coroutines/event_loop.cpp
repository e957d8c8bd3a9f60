// event_loop.cpp: the turn of the loop, its timers, and the Waiters that leave it.
#include "stage4_coroutines/event_loop.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <string>

namespace stage4 {

namespace {

// What a coroutine waits for, in the observer's words.
std::string describe_fd(int fd, std::uint32_t events) {
  return "fd " + std::to_string(fd) + (events & common::EVENT_READ ? " readable" : " writable");
}

}  // namespace

// A task given to create_task: the loop's to run and to destroy.
struct EventLoop::Spawned final : Join {
  explicit Spawned(EventLoop& owner) : loop(owner), start(owner) {}
  std::coroutine_handle<> task_done(TaskPromiseBase&) noexcept override {
    loop.finished_.push_back(this);  // released after this step
    return std::noop_coroutine();
  }
  EventLoop& loop;
  Task<void> task;
  TaskStart start;
  std::list<Spawned>::iterator place;  // in loop.spawned_
};

EventLoop::EventLoop(LoopOptions options)
    : selector_(common::make_selector(options.selector)),
      now_(std::move(options.now)),
      observer_(options.observer),
      time_(now_()) {}

EventLoop::~EventLoop() {
  spawned_.clear();  // first: their frames unregister from the selector and timers
}

std::optional<TimePoint> EventLoop::next_timer() const {
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->first;
}

// [docs:stage4-run-until-done]
void EventLoop::run_until_done(TaskPromiseBase& promise, std::coroutine_handle<> coroutine) {
  if (running_) throw std::logic_error("run_until_complete: the loop is already running");
  struct Finished final : Join {
    bool done = false;
    std::coroutine_handle<> task_done(TaskPromiseBase&) noexcept override {
      done = true;
      return std::noop_coroutine();  // back to the loop, which sees `done` and returns
    }
  } finished;
  TaskStart start(*this);
  start.start(promise, coroutine, finished);
  while (!finished.done) {
    if (ready_.empty() && timers_.empty() && fd_count() == 0) {
      throw std::logic_error(
          "run_until_complete: the task waits for what cannot happen "
          "(nothing is ready, no timer is set, no fd is watched)");
    }
    run_once();
  }
}
// [/docs]

void EventLoop::create_task(Task<void> task) {
  TaskPromiseBase& promise = task.startable("create_task");
  Spawned& spawned = spawned_.emplace_back(*this);
  spawned.place = std::prev(spawned_.end());
  spawned.task = std::move(task);
  spawned.start.start(promise, spawned.task.handle(), spawned);
}

// [docs:stage4-run-once]
// One turn of the loop, as asyncio's _run_once.
void EventLoop::run_once(std::optional<Duration> max_wait) {
  if (running_) throw std::logic_error("run_once: the loop is already running (from a step?)");
  running_ = true;
  struct Done {
    bool& running;
    ~Done() { running = false; }  // however the turn ends
  } done{running_};
  // 1. select(): not at all if something is ready, until the next deadline if a timer is
  //    set, else until a socket is ready; never longer than `max_wait`.
  std::optional<Duration> timeout = max_wait;
  if (!ready_.empty()) {
    timeout = Duration::zero();
  } else if (!timers_.empty()) {
    const Duration due = std::max(Duration::zero(), timers_.begin()->first - now_());
    timeout = std::min(due, max_wait.value_or(due));
  }
  std::span<const common::SelectorEvent> events;
  const TimePoint before = time_;
  const bool waits = timeout || fd_count() > 0;  // else nothing could ever wake us
  if (waits) events = selector_->select(timeout);
  time_ = now_();
  if (observer_ && waits && (!events.empty() || timeout != Duration::zero()))
    observer_->selected(events, time_ - before, time_);

  // 2. Sockets, then timers: their coroutines join the ready list. No coroutine runs
  //    before every event is taken, so none can destroy a Waiter the loop still holds.
  for (const common::SelectorEvent& event : events) {
    auto& waiter = *static_cast<FdWait*>(event.data);
    selector_->unregister(waiter.fd_);
    waiter.registered_ = false;
    if (observer_) observer_->woken(waiter.task, describe_fd(event.fd, event.events));
    ready_.push_back(waiter);
  }
  while (!timers_.empty() && timers_.begin()->first <= time_) {
    while (Waiter* waiter = timers_.begin()->second.waiters.pop_front()) {
      static_cast<TimerWait*>(waiter)->batch_ = nullptr;
      --timer_count_;
      if (observer_) observer_->woken(waiter->task, "timer due");
      ready_.push_back(*waiter);
    }
    timers_.erase(timers_.begin());
  }

  // 3. Step each coroutine ready now (what becomes ready meanwhile waits for the next
  //    turn): resume it until it suspends again. Stage 3's Task::step called next() on a
  //    generator; here resuming the handle is the whole step.
  WaiterList running;
  running.splice(ready_);
  while (Waiter* waiter = running.pop_front()) {
    TaskPromiseBase* stepped = current_task_ = waiter->task;
    if (observer_) observer_->step_began(stepped);
    waiter->handle.resume();  // `waiter` may be gone now (its frame ended): not used again
    const TimePoint now = now_();
    if (observer_) observer_->step_ended(stepped, now);            // (a Join may have moved on)
    if (now - time_ >= std::chrono::milliseconds(1)) time_ = now;  // see "Time"
    current_task_ = nullptr;  // never left pointing at a task released below
    release_finished_tasks();
  }
}
// [/docs]

// create_task's tasks that ended during the last step: their frames go now, after the
// step, because the loop still reads the promise (the exception, the observer's hooks).
void EventLoop::release_finished_tasks() {
  while (!finished_.empty()) {
    Spawned* spawned = finished_.back();
    finished_.pop_back();
    if (std::exception_ptr failure = spawned->task.handle().promise().exception) {
      try {
        std::rethrow_exception(failure);
      } catch (const std::exception& error) {
        std::cerr << "EventLoop: a task of create_task failed: " << error.what() << '\n';
      } catch (...) {
        std::cerr << "EventLoop: a task of create_task failed\n";
      }
    }
    spawned_.erase(spawned->place);
  }
}

void TaskStart::start(TaskPromiseBase& promise, std::coroutine_handle<> coroutine, Join& join) {
  join_ = &join;
  promise.join = this;
  handle = coroutine;
  task = &promise;
  if (loop_->observer_) loop_->observer_->task_started(promise);
  loop_->call_soon(*this);
}

std::coroutine_handle<> TaskStart::task_done(TaskPromiseBase& promise) noexcept {
  if (loop_->observer_) loop_->observer_->task_ended(promise);
  return join_->task_done(promise);
}

// [docs:stage4-sleep]
void TimerWait::await_suspend(std::coroutine_handle<> sleeping) {
  if (delay_ > Duration::zero()) return start(loop_->time() + delay_, sleeping);
  handle = sleeping;  // just yield: the others run first
  task = loop_->current_task();
  loop_->call_soon(*this);
}
// [/docs]

// [docs:stage4-timer-wait]
void TimerWait::start(TimePoint deadline, std::coroutine_handle<> coroutine) {
  cancel();
  handle = coroutine;
  task = loop_->current_task();
  loop_->add_timer(*this, deadline);
}

// The awaiters ask; the loop links them in, and tells its observer what the task waits for.
void EventLoop::add_timer(TimerWait& timer, TimePoint deadline) {
  auto batch = timers_.try_emplace(deadline, deadline).first;  // join, or open, a batch
  batch->second.waiters.push_back(timer);
  timer.batch_ = &batch->second;
  ++timer_count_;
  if (!observer_) return;
  char what[40];
  std::snprintf(what, sizeof what, "timer %.3f s", common::Seconds(deadline - time_).count());
  observer_->suspended(timer.task, what);
}

void TimerWait::cancel() noexcept {
  unlink();  // from its batch, or from the ready list if the timer already fired
  if (!batch_) return;
  if (batch_->waiters.empty()) loop_->timers_.erase(batch_->deadline);
  batch_ = nullptr;
  --loop_->timer_count_;
}
// [/docs]

// [docs:stage4-fd-wait]
void FdWait::await_suspend(std::coroutine_handle<> waiting) {
  handle = waiting;
  task = loop_->current_task();
  loop_->watch(*this);
}

void EventLoop::watch(FdWait& wait) {
  selector_->register_fd(wait.fd_, wait.events_, &wait);  // may throw: nothing registered then
  wait.registered_ = true;
  if (observer_) observer_->suspended(wait.task, describe_fd(wait.fd_, wait.events_));
}

void FdWait::cancel() noexcept {
  unlink();  // from the ready list, if the fd was ready already
  if (registered_) loop_->selector_->unregister(fd_);  // before the socket closes
  registered_ = false;
}
// [/docs]

}  // namespace stage4
