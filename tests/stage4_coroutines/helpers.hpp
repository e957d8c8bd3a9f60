// helpers.hpp: what several stage 4 test files use.
// - Counted and its Tally (tests/support/lifetimes.hpp): prove a frame released what it
//   captured, exactly once.
// - note_after(), a task that sleeps, then notes who it is: the order tasks end in.
#pragma once

#include <vector>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/task.hpp"
#include "tests/support/lifetimes.hpp"

namespace stage4_test {

using test_support::Counted;
using Tally = test_support::Lifetimes;

// Sleeps `delay`, then appends `id` to `noted`.
inline stage4::Task<void> note_after(stage4::EventLoop& loop, stage4::Duration delay, int id,
                                     std::vector<int>& noted) {
  co_await stage4::sleep(loop, delay);
  noted.push_back(id);
}

}  // namespace stage4_test
