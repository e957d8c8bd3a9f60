// event_loop.cpp: the turn of the loop, its timers, and the Waiters that leave it.
#include "stage4_coroutines/event_loop.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace stage4 {

// What a coroutine waits for, in the observer's words.
static std::string describe_fd(int fd, std::uint32_t events) {
  return "fd " + std::to_string(fd) + (events & common::EVENT_READ ? " readable" : " writable");
}

EventLoop::EventLoop(LoopOptions options)
    : EventLoop(common::make_selector(options.selector), std::move(options)) {}

EventLoop::EventLoop(std::unique_ptr<common::Selector> selector, LoopOptions options)
    : selector_(std::move(selector)),
      now_(std::move(options.now)),
      observer_(options.observer),
      time_(now_()) {}

// The loop in run_once on this thread: no step may run a turn of any loop, its own or a new one.
static thread_local const EventLoop* running_here = nullptr;

void EventLoop::run_until_done(TaskPromiseBase& promise, std::coroutine_handle<> coroutine) {
  TaskStart start;
  start.start(*this, promise, coroutine, nullptr);  // at its end, back to this loop
  while (!coroutine.done()) {
    if (idle())
      throw std::logic_error("run_until_complete: the task waits for nothing that can happen");
    run_once();
  }
}

// [docs:stage4-run-once]
// One turn of the loop, as asyncio's _run_once.
void EventLoop::run_once(std::optional<Duration> max_wait) {
  if (running_here)
    throw std::logic_error("run_once: a loop is already running on this thread (from a step?)");
  running_here = this;
  struct Done {
    ~Done() { running_here = nullptr; }  // however the turn ends
  } done;
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
  const bool waits = timeout || selector_->size() > 0;  // else nothing could ever wake us
  if (waits) events = selector_->select(timeout);
  time_ = now_();
  if (observer_ && waits && (!events.empty() || timeout != Duration::zero()))
    observer_->selected(events, time_ - before, time_);

  // 2. Sockets, then timers: their coroutines join the ready list. No coroutine runs
  //    before every event is taken, so none can destroy a Waiter the loop still holds.
  for (const common::SelectorEvent& event : events) {
    auto& waiter = *static_cast<Waiter*>(event.data);  // an FdWait (stage 5: a ring's op)
    if (observer_) observer_->woken(waiter.task, describe_fd(event.fd, event.events));
    ready_.push_back(waiter);
  }
  while (!timers_.empty() && timers_.begin()->first <= time_) {
    while (Waiter* waiter = timers_.begin()->second.pop_front()) {
      if (observer_) observer_->woken(waiter->task, "timer due");
      ready_.push_back(*waiter);
    }
    timers_.erase(timers_.begin());
  }

  // 3. Step each coroutine ready now: resume it until it suspends again (stage 3's Task::step
  //    called next()). What becomes ready meanwhile queues behind a marker: the next turn.
  Waiter end_of_turn;
  ready_.push_back(end_of_turn);
  for (Waiter* waiter; (waiter = ready_.pop_front()) != &end_of_turn;) {
    TaskPromiseBase* stepped = current_task_ = waiter->task;
    if (observer_) observer_->step_began(stepped);
    waiter->handle.resume();  // `waiter` may be gone now (its frame ended): not used again
    const TimePoint now = now_();
    if (observer_) observer_->step_ended(stepped, now);  // (`stepped` may be gone: an identity)
    if (now - time_ >= std::chrono::milliseconds(1)) time_ = now;  // time(): see the header
    current_task_ = nullptr;  // never left pointing at a task that has ended
  }
}
// [/docs]

// The awaiters ask; the loop links them in, and tells its observer what the task waits for.
void EventLoop::add_timer(TimerWait& timer, TimePoint deadline) {
  timers_[deadline].push_back(timer);  // join, or open, the batch of its deadline
  timer.deadline_ = deadline;
  if (!observer_) return;
  char what[40];
  std::snprintf(what, sizeof what, "timer %.3f s", common::Seconds(deadline - time_).count());
  observer_->suspended(timer.task, what);
}

void EventLoop::watch(FdWait& wait) {
  Waiter& waiter = wait;  // what run_once gets back as the event's data
  selector_->register_fd(wait.fd_, wait.events_, &waiter);  // may throw: nothing registered then
  wait.registered_ = true;
  if (observer_) observer_->suspended(wait.task, describe_fd(wait.fd_, wait.events_));
}

}  // namespace stage4
