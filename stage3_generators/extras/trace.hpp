// extras/trace.hpp: --trace-loop, not needed for stage 3's idea: TraceLoopOption, the flag
// main.cpp adds, and TraceWriter, the LoopObserver (main.cpp's and the tests') that words
// what the loop and Task say happened:
//   [  0.000104] step     request 7
//   [  0.200102] select   woke after 0.200000 s: fd 5 readable
#pragma once

#include <cstdio>
#include <iostream>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "common/client_main.hpp"
#include "common/clock.hpp"
#include "common/selector.hpp"
#include "stage3_generators/event_loop.hpp"

namespace stage3::extras {

class TraceWriter final : public LoopObserver {
 public:
  explicit TraceWriter(std::ostream& out) : out_(out) {}

  void line(std::string_view event, const std::string& detail) override {
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "[%10.6f] ",
                  common::Seconds(common::Clock::now() - started_).count());
    out_ << stamp << event << std::string(event.size() < 9 ? 9 - event.size() : 1, ' ') << detail
         << '\n';
  }

  // "woke after 0.200000 s: fd 5 readable, fd 6 readable" (the first 8 fds, then how many).
  void selected(common::Clock::duration waited,
                std::span<const common::SelectorEvent> events) override {
    char text[64];
    std::snprintf(text, sizeof text, "woke after %.6f s: ", common::Seconds(waited).count());
    std::string detail = text;
    for (std::size_t i = 0; i < events.size() && i < 8; ++i) {
      detail += (i > 0 ? ", fd " : "fd ") + std::to_string(events[i].fd);
      if (events[i].events & common::EVENT_READ) detail += " readable";
      if (events[i].events & common::EVENT_WRITE) detail += " writable";
    }
    if (events.size() > 8) detail += ", ... (" + std::to_string(events.size()) + " fds)";
    line("select", events.empty() ? detail + "no fd ready (a timer is due)" : detail);
  }

 private:
  std::ostream& out_;
  common::TimePoint started_ = common::Clock::now();
};

// main.cpp's --trace-loop flag: when it is set, run() gets a TraceWriter on stderr.
class TraceLoopOption {
 public:
  void add_to(CLI::App& app) {
    common::add_flag(app, "--trace-loop", on_,
                     "Print the loop's dance on stderr: every task step, yield, resolved future "
                     "and select() wake-up");
  }
  // The observer for run(), or none; its clock starts now, as the run does.
  LoopObserver* observer() { return on_ ? &writer_.emplace(std::cerr) : nullptr; }

 private:
  bool on_ = false;
  std::optional<TraceWriter> writer_;
};

}  // namespace stage3::extras
