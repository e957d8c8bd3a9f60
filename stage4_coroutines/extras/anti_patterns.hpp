// extras/anti_patterns.hpp: two anti-patterns that client.cpp (the lesson) has no room for,
// each a small run of the same requests, chosen by a flag of stage 4 (command_line.cpp):
//   --nested-loop   each request runs on a loop of its own, started inside a coroutine
//                   (asyncio.run inside async def): refused with a std::logic_error
//   --race          each answer is counted by a check-then-act across a co_await: updates
//                   are lost; with --lock, the count is made under a Lock (lock.hpp): none is
// docs/anti-patterns.md measures both.
#pragma once

#include <iosfwd>

#include "common/client_options.hpp"
#include "common/run_report.hpp"
#include "stage4_coroutines/event_loop.hpp"

namespace stage4 {

struct AntiPatterns {
  bool nested_loop = false;  // --nested-loop
  bool race = false;         // --race
  bool lock = false;         // --lock (with --race)
};

// --nested-loop: throws the std::logic_error of the loop that refuses to run inside another.
void run_nested_loops(const common::ClientOptions& options, common::RunReport& report,
                      LoopObserver* observer = nullptr);

// --race (--lock): the requests answered, and what their shared count says, also written to
// `out`: "--race: 10 answers, counted 1: 9 updates lost" (or "... counted 10: no update lost").
struct RaceCount {
  int answers = 0;
  int counted = 0;
};
RaceCount run_race(const common::ClientOptions& options, common::RunReport& report, bool with_lock,
                   std::ostream& out, LoopObserver* observer = nullptr);

}  // namespace stage4
