// event_loop.cpp: the loop's turn, its timers and its I/O callbacks.
#include "stage3_generators/event_loop.hpp"

namespace stage3 {
EventLoop::EventLoop(common::SelectorKind selector, Now now)
    : selector_(common::make_selector(selector)), now_(std::move(now)) {}

EventLoop::~EventLoop() {
  while (!tasks_.empty()) std::shared_ptr<TaskBase>(tasks_.front())->cancel();  // it lets go
}

// [docs:stage3-run-once]
void EventLoop::run_once() {
  if (running_) throw std::logic_error("the event loop is already running");
  // 1. Wait for I/O: only look if a task is ready, else block until the next timer.
  const auto zero = std::chrono::nanoseconds::zero();
  std::optional<std::chrono::nanoseconds> timeout;  // none: as long as it takes
  const common::TimePoint before = now_();
  if (!ready_.empty())
    timeout = zero;
  else if (!timers_.empty())
    timeout = std::max(timers_.begin()->first - before, common::Clock::duration::zero());
  else if (selector_->size() == 0)
    throw std::logic_error("event loop: nothing is ready, timed or watched: it would hang");
  std::span<const common::SelectorEvent> events;
  if (selector_->size() > 0 || timeout != zero) events = selector_->select(timeout);
  running_ = true;
  time_ = now_();
  if (observer_ && (!events.empty() || timeout != zero))
    observer_->selected(time_ - before, events);
  for (const common::SelectorEvent& event : events) {
    // One shot: take the callback out before calling it, so it may wait on the fd again.
    auto entry = when_ready_.extract(event.fd);
    if (entry.empty()) continue;  // cancelled meanwhile
    selector_->unregister(event.fd);
    entry.mapped()();
  }
  // 2. Resolve the timers that are due. Taken out first: a timer that a callback sets
  // (call_later(0)) is due in the next turn, not in this one.
  decltype(timers_) due;
  while (!timers_.empty() && timers_.begin()->first <= time_)
    due.insert(timers_.extract(timers_.begin()));
  for (auto& [deadline, futures] : due) {
    for (auto& future : futures) {
      if (!future->done()) future->set_result();  // its callbacks run now
    }
  }
  // 3. Step the tasks that were ready; those they wake step in the next turn.
  for (std::size_t todo = ready_.size(); todo > 0; --todo) {
    std::shared_ptr<TaskBase> task = std::move(ready_.front());
    ready_.pop_front();
    task->step();  // never throws: the task keeps what its generator threw
  }
  running_ = false;  // (not if a callback threw: a bug, and the loop is done for)
}
// [/docs]

void EventLoop::call_later(double seconds, Callback callback) {
  sleep(*this, seconds)->add_done_callback(std::move(callback));
}

std::shared_ptr<Future<void>> sleep(EventLoop& loop, double seconds) {
  auto slept = std::make_shared<Future<void>>("sleep");
  auto delay = std::chrono::duration_cast<common::Clock::duration>(common::Seconds(seconds));
  loop.timers_[loop.time() + delay].push_back(slept);
  return slept;
}

void EventLoop::call_when_ready(int fd, std::uint32_t events, Callback callback) {
  selector_->register_fd(fd, events, nullptr);  // throws first (select: fd >= FD_SETSIZE)
  when_ready_[fd] = std::move(callback);
}

void EventLoop::cancel_when_ready(int fd) {
  if (when_ready_.erase(fd) > 0) selector_->unregister(fd);
}
}  // namespace stage3
