// 13-to-thread_check.cpp: the check of exercise 13 (docs/exercises/13-to-thread.md), built
// against exercises/13-to-thread (the starter) and against its solution. Real time and a
// real thread: a heartbeat coroutine ticks every 10 ms while the work runs, and the longest
// silence between two ticks says whether the work held the loop.
#include "count_primes.hpp"  // the exercise's (the starter's or the solution's)

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "common/clock.hpp"
#include "stage4_coroutines/gather.hpp"
#include "stage4_coroutines/wait_for.hpp"
#include "tests/stage4_coroutines/loop_probe.hpp"
#include "tests/support/timing.hpp"

using namespace std::chrono_literals;
using stage4::EventLoop;
using stage4::Task;

namespace {

constexpr long long below = 2'000'000;
constexpr long long primes_below = 148'933;

double seconds_since(common::TimePoint start) {
  return common::Seconds(common::Clock::now() - start).count();
}

// Ticks every 10 ms until `done`, noting when (seconds from `start`).
Task<void> heartbeat(EventLoop& loop, const bool& done, common::TimePoint start,
                     std::vector<double>& ticks) {
  while (!done) {
    co_await stage4::sleep(loop, 10ms);
    ticks.push_back(seconds_since(start));
  }
}

Task<void> count_then_stop(EventLoop& loop, long long& count, double& took, bool& done,
                           common::TimePoint start) {
  count = co_await exercises::count_primes_off_the_loop(loop, below);
  took = seconds_since(start);
  done = true;
}

// The longest time the loop went without a tick, from the start to the end of the work.
double longest_silence(const std::vector<double>& ticks, double end) {
  double longest = 0, last = 0;
  for (double tick : ticks) {
    longest = std::max(longest, tick - last);
    last = tick;
  }
  return std::max(longest, end - last);
}

}  // namespace

TEST_CASE("the heartbeat keeps ticking while the primes are counted, and the count is right" *
          test_support::timing) {
  EventLoop loop;
  bool done = false;
  long long count = -1;
  double took = 0;
  std::vector<double> ticks;
  const common::TimePoint start = common::Clock::now();
  std::vector<Task<void>> both;
  both.push_back(heartbeat(loop, done, start, ticks));
  both.push_back(count_then_stop(loop, count, took, done, start));
  loop.run_until_complete(stage4::gather(loop, std::move(both)));
  CHECK(count == primes_below);
  const double silence = longest_silence(ticks, took);
  MESSAGE("counting took " << took << " s; the loop's longest silence: " << silence << " s");
  // On the loop's thread the counting is one silence as long as itself; on a thread of its
  // own the loop ticks on, and a silence of half of it is a machine far too busy to tell.
  CHECK(silence < test_support::well_below(took));
  CHECK(stage4::LoopProbe::fd_count(loop) == 0);
}

TEST_CASE("given up after 50 ms (wait_for), the counting stops soon, not at its end" *
          test_support::timing) {
  // How long the whole count takes on this machine today, for the bound below.
  common::TimePoint start = common::Clock::now();
  REQUIRE(exercises::count_primes(below) == primes_below);
  const double whole = seconds_since(start);

  EventLoop loop;
  bool timed_out = false;
  auto give_up = [&]() -> Task<void> {
    try {
      co_await stage4::wait_for(loop, exercises::count_primes_off_the_loop(loop, below), 50ms);
    } catch (const stage4::TimeoutError&) {
      timed_out = true;
    }
  };
  start = common::Clock::now();
  loop.run_until_complete(give_up());
  const double took = seconds_since(start);
  MESSAGE("the whole count took " << whole << " s; given up after 50 ms, it took " << took << " s");
  CHECK(timed_out);
  CHECK(took < test_support::well_below(whole));  // stopped, not waited for to the end
  CHECK(stage4::LoopProbe::fd_count(loop) == 0);
}
