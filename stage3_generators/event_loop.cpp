// event_loop.cpp: the loop's turn, its timers and its I/O callbacks (event_loop.hpp).
#include "stage3_generators/event_loop.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <span>
#include <stdexcept>
#include <utility>

namespace stage3 {

namespace {

// "fd 5 readable" for the trace.
std::string describe(const common::SelectorEvent& event) {
  std::string text = "fd " + std::to_string(event.fd);
  if (event.events & common::EVENT_READ) text += " readable";
  if (event.events & common::EVENT_WRITE) text += " writable";
  return text;
}

}  // namespace

EventLoop::EventLoop(common::SelectorKind selector, Now now)
    : selector_(common::make_selector(selector)), now_(std::move(now)), started_(now_()) {}

EventLoop::~EventLoop() {
  // Unfinished tasks first, while everything their frames may touch still exists.
  for (auto& task : tasks_) task->close();
}

// [docs:stage3-run-once]
void EventLoop::run_once() {
  if (in_run_) throw std::logic_error("the event loop is already running");
  in_run_ = true;
  turn_time_ = now_();
  try {
    wait_for_io();      // 1. block only if nothing is ready, at most until the next timer
    fire_due_timers();  // 2. resolve the timers whose time has come
    run_ready();        // 3. step the tasks that were ready
  } catch (...) {
    in_run_ = false;
    throw;
  }
  in_run_ = false;
}
// [/docs]

// [docs:stage3-wait-for-io]
void EventLoop::wait_for_io() {
  std::optional<std::chrono::nanoseconds> timeout;  // none: as long as it takes
  if (!ready_.empty()) {
    timeout = std::chrono::nanoseconds::zero();  // a task to step: just look
  } else if (!timers_.empty()) {
    timeout = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::max(timers_.begin()->first - turn_time_, common::Clock::duration::zero()));
  } else if (selector_->size() == 0) {
    throw std::logic_error(
        "event loop: no task is ready, no timer is set, no socket is "
        "watched: what is waited for can never happen");
  }
  if (selector_->size() == 0 && timeout == std::chrono::nanoseconds::zero()) return;

  const common::TimePoint before = turn_time_;
  std::span<const common::SelectorEvent> events = selector_->select(timeout);
  turn_time_ = now_();
  if (tracing() && (!events.empty() || timeout != std::chrono::nanoseconds::zero())) {
    trace_wake_up(turn_time_ - before, events);
  }
  for (const common::SelectorEvent& event : events) {
    const auto fd = static_cast<std::size_t>(event.fd);
    if (fd >= when_ready_.size() || !when_ready_[fd]) continue;  // cancelled meanwhile
    // One shot: forget the fd before calling back, so the callback may wait on it again.
    Callback callback = std::exchange(when_ready_[fd], nullptr);
    selector_->unregister(event.fd);
    callback();
  }
}
// [/docs]

// "select   woke after 0.200 s: fd 5 readable, fd 6 readable"
void EventLoop::trace_wake_up(common::Clock::duration waited,
                              std::span<const common::SelectorEvent> events) const {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.6f", common::Seconds(waited).count());
  std::string detail = std::string("woke after ") + seconds + " s: ";
  for (std::size_t i = 0; i < events.size() && i < 8; ++i) {
    detail += (i > 0 ? ", " : "") + describe(events[i]);
  }
  if (events.size() > 8) detail += ", ... (" + std::to_string(events.size()) + " fds)";
  if (events.empty()) detail += "no fd ready (a timer is due)";
  trace("select", detail);
}

void EventLoop::fire_due_timers() {
  // Take the due entries out first (extract moves a map node, no copy): a timer set by a
  // callback below, call_later(0) say, is due in the next turn, not in this loop.
  decltype(timers_) due;
  while (!timers_.empty() && timers_.begin()->first <= turn_time_) {
    due.insert(timers_.extract(timers_.begin()));
  }
  for (auto& [deadline, futures] : due) {
    for (auto& future : futures) {
      if (!future->done()) future->set_result();  // its callbacks run now
    }
  }
}

void EventLoop::run_ready() {
  // Only the tasks ready at this point: those they wake up take their step in the next
  // turn, after the loop has looked at the sockets again.
  for (std::size_t todo = ready_.size(); todo > 0; --todo) {
    TaskBase* task = ready_.front();
    ready_.pop_front();
    task->step();  // never throws: the task keeps what its generator threw
  }
}

void EventLoop::call_later(double seconds, Callback callback) {
  add_timer(seconds)->add_done_callback(std::move(callback));
}

std::shared_ptr<Future<void>> sleep(EventLoop& loop, double seconds) {
  return loop.add_timer(seconds);
}

std::shared_ptr<Future<void>> EventLoop::add_timer(double seconds) {
  auto future = std::make_shared<Future<void>>("sleep");
  const auto delay = std::chrono::duration_cast<common::Clock::duration>(common::Seconds(seconds));
  timers_[time() + delay].push_back(future);
  return future;
}

std::optional<common::TimePoint> EventLoop::next_timer() const {
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->first;
}

void EventLoop::call_when_ready(int fd, std::uint32_t events, Callback callback) {
  selector_->register_fd(fd, events, nullptr);  // throws first (select: fd >= FD_SETSIZE)
  const auto index = static_cast<std::size_t>(fd);
  if (index >= when_ready_.size()) when_ready_.resize(index + 1);
  when_ready_[index] = std::move(callback);
}

void EventLoop::cancel_when_ready(int fd) {
  const auto index = static_cast<std::size_t>(fd);
  if (fd < 0 || index >= when_ready_.size() || !when_ready_[index]) return;
  when_ready_[index] = nullptr;
  selector_->unregister(fd);
}

void EventLoop::trace(std::string_view event, std::string_view detail) const {
  if (!trace_) return;
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "[%10.6f] ", common::Seconds(now_() - started_).count());
  *trace_ << stamp << event << std::string(event.size() < 9 ? 9 - event.size() : 1, ' ') << detail
          << '\n';
}

void EventLoop::adopt(std::shared_ptr<TaskBase> task) {
  task->number_ = ++tasks_created_;
  task->index_ = static_cast<std::uint32_t>(tasks_.size());
  schedule(*task);
  tasks_.push_back(std::move(task));
}

std::shared_ptr<TaskBase> EventLoop::release(TaskBase& task) {
  // Swap with the last one and pop: O(1), and the order of tasks_ means nothing.
  const std::uint32_t index = task.index_;
  std::shared_ptr<TaskBase> released = std::move(tasks_[index]);
  if (index + 1 != tasks_.size()) {
    tasks_[index] = std::move(tasks_.back());
    tasks_[index]->index_ = index;
  }
  tasks_.pop_back();
  return released;
}

}  // namespace stage3
