// helpers.hpp: what several stage 4 test files use.
// - Counted and its Tally (tests/support/lifetimes.hpp): prove a frame released what it
//   captured, exactly once.
// - note_after(), a task that sleeps, then notes who it is: the order tasks end in.
// - catch_timeout(), a task's value under wait_for, or -1 if it timed out.
#pragma once

#include <vector>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/task.hpp"
#include "stage4_coroutines/wait_for.hpp"
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

// `task`'s value, or -1 if `timeout` passed first (wait_for destroyed it).
inline stage4::Task<int> catch_timeout(stage4::EventLoop& loop, stage4::Task<int> task,
                                       stage4::Duration timeout) {
  try {
    co_return co_await stage4::wait_for(loop, std::move(task), timeout);
  } catch (const stage4::TimeoutError&) {
    co_return -1;
  }
}

}  // namespace stage4_test
