// extras/trace.hpp: the wording of --trace-loop's lines. Not needed for stage 3's idea: the
// loop and Task only say when something happened (EventLoop::trace); this says how.
#pragma once

#include <cstdio>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/selector.hpp"

namespace stage3::extras {

// "[  0.200102] select   woke after 0.200000 s: fd 5 readable"
inline void write_trace_line(std::ostream& out, common::Clock::duration since_start,
                             std::string_view event, std::string_view detail) {
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "[%10.6f] ", common::Seconds(since_start).count());
  out << stamp << event << std::string(event.size() < 9 ? 9 - event.size() : 1, ' ') << detail
      << '\n';
}

// "woke after 0.200000 s: fd 5 readable, fd 6 readable" (the first 8 fds, then how many).
inline std::string woke_after(common::Clock::duration waited,
                              std::span<const common::SelectorEvent> events) {
  char text[64];
  std::snprintf(text, sizeof text, "woke after %.6f s: ", common::Seconds(waited).count());
  std::string line = text;
  for (std::size_t i = 0; i < events.size() && i < 8; ++i) {
    line += (i > 0 ? ", fd " : "fd ") + std::to_string(events[i].fd);
    if (events[i].events & common::EVENT_READ) line += " readable";
    if (events[i].events & common::EVENT_WRITE) line += " writable";
  }
  if (events.size() > 8) line += ", ... (" + std::to_string(events.size()) + " fds)";
  return events.empty() ? line + "no fd ready (a timer is due)" : line;
}

}  // namespace stage3::extras
