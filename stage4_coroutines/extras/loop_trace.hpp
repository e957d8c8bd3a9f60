// extras/loop_trace.hpp: --trace-loop, --debug and task names: a LoopObserver
// (event_loop.hpp). Not needed for the idea of stage 4; it shows the loop at work.
//
//   LoopTrace trace({.trace = true});              // or .debug = true, or both
//   EventLoop loop({.observer = &trace});
//
// --trace-loop prints one line per event, in stage 3's format:
//   [  0.000123] step     request 7
//   [  0.000130] await    request 7 waits for fd 5 readable
//   [  0.200410] select   woke after 0.200000 s: fd 5 readable
//   [  0.200415] ready    fd 5 readable -> request 7
//   [  0.200520] return   request 7 is done
// --debug warns when one step runs longer than slow_step without yielding (asyncio's
// slow_callback_duration, 100 ms there too), naming the task: every other task waited.
// Tasks are named with EventLoop::set_name, or "Task-<n>" when they start, as asyncio does.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <unordered_map>

#include "stage4_coroutines/event_loop.hpp"

namespace stage4 {

struct TraceOptions {
  bool trace = false;  // --trace-loop
  bool debug = false;  // --debug
  Duration slow_step = std::chrono::milliseconds(100);
  std::ostream* log = nullptr;  // nullptr: std::cerr
  std::function<TimePoint()> now = common::Clock::now;
};

class LoopTrace final : public LoopObserver {
 public:
  explicit LoopTrace(TraceOptions options = {});

  void task_named(const TaskPromiseBase& task, std::string_view name) noexcept override;
  void task_started(const TaskPromiseBase& task) noexcept override;
  void task_ended(const TaskPromiseBase& task) noexcept override;
  void step_began(const TaskPromiseBase* task) noexcept override;
  void step_ended(const TaskPromiseBase* task, TimePoint now) noexcept override;
  void suspended(const TaskPromiseBase* task, std::string_view what) noexcept override;
  void woken(const TaskPromiseBase* task, std::string_view by) noexcept override;
  void selected(std::span<const common::SelectorEvent> events, Duration waited,
                TimePoint now) noexcept override;

  std::string name(const TaskPromiseBase* task) const;

 private:
  void line(std::string_view event, std::string_view detail);

  TraceOptions options_;
  std::ostream* log_;
  TimePoint started_;
  TimePoint last_reading_;  // when the current step began, for --debug
  std::size_t tasks_started_ = 0;
  std::unordered_map<const TaskPromiseBase*, std::string> names_, pending_;
};

// "0.300 s": how durations read in traces and warnings.
std::string seconds_text(Duration duration);

}  // namespace stage4
