// wait_for(): the value in time, or TimeoutError and a cancelled task that leaves nothing
// behind in the loop.
#include <doctest/doctest.h>

#include <sys/socket.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/fd.hpp"
#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/gather.hpp"
#include "stage4_coroutines/socket_ops.hpp"
#include "stage4_coroutines/task.hpp"
#include "stage4_coroutines/wait_for.hpp"
#include "tests/stage4_coroutines/helpers.hpp"
#include "tests/stage4_coroutines/loop_probe.hpp"
#include "tests/stage4_coroutines/virtual_time.hpp"

using namespace stage4;
using namespace std::chrono_literals;
using stage4_test::catch_timeout;
using stage4_test::Counted;
using stage4_test::run_until_complete;
using stage4_test::run_until_idle;
using stage4_test::Tally;
using stage4_test::VirtualClock;

namespace {

Task<int> value_after(EventLoop& loop, Duration delay, int value, Counted) {
  co_await sleep(loop, delay);
  co_return value;
}

Task<int> fail_after(EventLoop& loop, Duration delay) {
  co_await sleep(loop, delay);
  throw std::runtime_error("failed in time");
}

Task<int> read_forever(EventLoop& loop, int fd, Counted) {
  co_await readable(loop, fd);  // nobody writes
  co_return 1;
}

Task<int> nested_sleeps(EventLoop& loop, Counted counted) {
  co_return co_await value_after(loop, 1h, 1, counted) + co_await value_after(loop, 1h, 2, counted);
}

}  // namespace

TEST_CASE("wait_for: a task that finishes in time gives its value, and the timer goes") {
  Tally tally;
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  TimePoint start = clock.now();
  CHECK(run_until_complete(loop, clock,
                           wait_for(loop, value_after(loop, 10ms, 7, Counted(tally)), 1s)) == 7);
  CHECK(clock.now() - start == 10ms);  // it did not wait for the timeout
  CHECK(LoopProbe::timer_count(loop) == 0);
  CHECK(!LoopProbe::has_ready(loop));
  CHECK(tally.alive() == 0);
}

TEST_CASE("wait_for: an exception in time is the task's, not a timeout") {
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  CHECK_THROWS_WITH_AS(run_until_complete(loop, clock, wait_for(loop, fail_after(loop, 1ms), 1s)),
                       "failed in time", std::runtime_error);
  CHECK(LoopProbe::timer_count(loop) == 0);
}

TEST_CASE("wait_for: on timeout the task is destroyed, with its timers, and nothing is left") {
  Tally tally;
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  TimePoint start = clock.now();
  CHECK_THROWS_WITH_AS(
      run_until_complete(loop, clock, wait_for(loop, nested_sleeps(loop, Counted(tally)), 300ms)),
      "timed out after 0.3 s", TimeoutError);
  CHECK(clock.now() - start == 300ms);
  CHECK(tally.constructed > 0);
  CHECK(tally.alive() == 0);
  CHECK(LoopProbe::timer_count(loop) == 0);
  CHECK(!LoopProbe::has_ready(loop));
  CHECK(LoopProbe::fd_count(loop) == 0);
}

TEST_CASE("wait_for: on timeout a task waiting on a socket is unregistered from the selector") {
  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
  common::Fd reader(fds[0]), writer(fds[1]);
  Tally tally;
  for (auto kind :
       {common::SelectorKind::epoll, common::SelectorKind::poll, common::SelectorKind::select}) {
    CAPTURE(common::to_string(kind));
    EventLoop loop({.selector = kind});
    CHECK(loop.run_until_complete(
              catch_timeout(loop, read_forever(loop, reader.get(), Counted(tally)), 20ms)) == -1);
    CHECK(LoopProbe::fd_count(loop) == 0);
    CHECK(LoopProbe::timer_count(loop) == 0);
    CHECK(!LoopProbe::has_ready(loop));
    CHECK(tally.alive() == 0);
  }
}

TEST_CASE("wait_for: a timeout of zero still lets a task that needs no wait finish") {
  Tally tally;
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  CHECK(run_until_complete(loop, clock,
                           catch_timeout(loop, value_after(loop, 0ms, 5, Counted(tally)), 0ms)) ==
        -1);  // sleep(0) yields once: the timer (due now) fires first
  CHECK(run_until_complete(loop, clock,
                           catch_timeout(loop, value_after(loop, 1ms, 5, Counted(tally)), 0ms)) ==
        -1);
  CHECK(tally.alive() == 0);
  CHECK(LoopProbe::timer_count(loop) == 0);
}

TEST_CASE("wait_for: a task and a timer due at the same instant, either may win, cleanly") {
  Tally tally;
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  std::vector<Task<int>> races;
  for (int i = 0; i < 100; ++i) {
    races.push_back(catch_timeout(loop, value_after(loop, 10ms, i, Counted(tally)), 10ms));
  }
  std::vector<int> results = run_until_complete(loop, clock, gather(loop, std::move(races)));
  for (int i = 0; i < 100; ++i)
    CHECK(
        (results[static_cast<std::size_t>(i)] == i || results[static_cast<std::size_t>(i)] == -1));
  CHECK(tally.alive() == 0);
  CHECK(LoopProbe::timer_count(loop) == 0);
  CHECK(!LoopProbe::has_ready(loop));
}

TEST_CASE("wait_for around gather: a timeout cancels every task gather started") {
  Tally tally;
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  std::vector<Task<int>> tasks;
  for (int i = 0; i < 10; ++i)
    tasks.push_back(value_after(loop, Duration(i * 10ms), i, Counted(tally)));
  CHECK_THROWS_AS(
      run_until_complete(loop, clock, wait_for(loop, gather(loop, std::move(tasks)), 45ms)),
      TimeoutError);
  CHECK(tally.alive() == 0);
  CHECK(LoopProbe::timer_count(loop) == 0);
  CHECK(!LoopProbe::has_ready(loop));
}
