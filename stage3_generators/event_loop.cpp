// event_loop.cpp: the loop's turn, and sleep(), its timers.
#include "stage3_generators/event_loop.hpp"

namespace stage3 {
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
  // 2. Resolve the timers that are due, taken out first: one set meanwhile waits a turn.
  decltype(timers_) due;
  while (!timers_.empty() && timers_.begin()->first <= time_)
    due.insert(timers_.extract(timers_.begin()));
  for (auto& [deadline, futures] : due)
    for (auto& future : futures)
      if (!future->done()) future->set_result();  // its callbacks run now
  // 3. Step the tasks that were ready; those they wake step in the next turn.
  for (std::size_t todo = ready_.size(); todo > 0; --todo) {
    std::shared_ptr<TaskBase> task = std::move(ready_.front());
    ready_.pop_front();
    task->step();  // never throws: the task keeps what its generator threw
  }
  running_ = false;  // (not if a callback threw: a bug, and the loop is done for)
}
// [/docs]

std::shared_ptr<Future<void>> sleep(EventLoop& loop, double seconds) {
  auto slept = std::make_shared<Future<void>>("sleep");
  auto delay = std::chrono::duration_cast<common::Clock::duration>(common::Seconds(seconds));
  loop.timers_[loop.time() + delay].push_back(slept);
  return slept;
}
}  // namespace stage3
