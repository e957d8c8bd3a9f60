// extras/loop_trace.cpp: what --trace-loop and --debug print (loop_trace.hpp).
#include "stage4_coroutines/extras/loop_trace.hpp"

#include <cstdio>
#include <iostream>

namespace stage4 {

namespace {

// "fd 5 readable", as select() reported it.
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

LoopTrace::LoopTrace(TraceOptions options)
    : options_(std::move(options)), log_(options_.log ? options_.log : &std::cerr) {
  started_ = last_reading_ = options_.now();
}

std::string LoopTrace::name(const TaskPromiseBase* task) const {
  if (!task) return "(no task)";
  if (auto found = names_.find(task); found != names_.end()) return found->second;
  char address[32];
  std::snprintf(address, sizeof address, "task@%p", static_cast<const void*>(task));
  return address;
}

// A name given before the task starts waits in `pending_`, keyed by its frame's address;
// at its start every task gets one, replacing whatever an ended task there had. Name a
// task just before gather, wait_for or create_task starts it, as the client does: a name
// given to a task destroyed unstarted would go to the next frame at its address. (Names
// are never forgotten: fine for a trace of one run, not for a server that runs for months.)
void LoopTrace::task_named(const TaskPromiseBase& task, std::string_view name) noexcept {
  pending_[&task] = name;
}

void LoopTrace::task_started(const TaskPromiseBase& task) noexcept {
  ++tasks_started_;
  auto given = pending_.find(&task);
  names_[&task] =
      given != pending_.end() ? given->second : "Task-" + std::to_string(tasks_started_);
  if (given != pending_.end()) pending_.erase(given);
}

void LoopTrace::task_ended(const TaskPromiseBase& task) noexcept {
  if (options_.trace) line("return", name(&task) + (task.exception ? " failed" : " is done"));
}

void LoopTrace::step_began(const TaskPromiseBase* task) noexcept {
  if (options_.trace) line("step", name(task));
}

// [docs:stage4-debug-slow-step]
void LoopTrace::step_ended(const TaskPromiseBase* task, TimePoint now) noexcept {
  if (options_.debug && now - last_reading_ > options_.slow_step) {
    *log_ << "EventLoop: " << name(task) << " ran for " << seconds_text(now - last_reading_)
          << " without yielding (more than " << seconds_text(options_.slow_step)
          << "): every other task waited\n";
  }
  last_reading_ = now;
}
// [/docs]

void LoopTrace::suspended(const TaskPromiseBase* task, std::string_view what) noexcept {
  if (options_.trace) line("await", name(task) + " waits for " + std::string(what));
}

void LoopTrace::woken(const TaskPromiseBase* task, std::string_view by) noexcept {
  if (options_.trace) line("ready", std::string(by) + " -> " + name(task));
}

// "select   woke after 0.200000 s: fd 5 readable, fd 6 readable"
void LoopTrace::selected(std::span<const common::SelectorEvent> events, Duration waited,
                         TimePoint now) noexcept {
  last_reading_ = now;
  if (!options_.trace) return;
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.6f", common::Seconds(waited).count());
  std::string detail = "woke after ";
  detail.append(seconds).append(" s: ");
  for (std::size_t i = 0; i < events.size() && i < 8; ++i)
    detail.append(i > 0 ? ", " : "").append(describe(events[i]));
  if (events.size() > 8)
    detail.append(", ... (").append(std::to_string(events.size())).append(" fds)");
  if (events.empty()) detail.append("no fd ready (a timer is due)");
  line("select", detail);
}

void LoopTrace::line(std::string_view event, std::string_view detail) {
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "[%10.6f] ",
                common::Seconds(options_.now() - started_).count());
  *log_ << stamp << event << std::string(event.size() < 9 ? 9 - event.size() : 1, ' ') << detail
        << '\n';
}

}  // namespace stage4
