// gather(): results in order, all tasks awaited, the first exception rethrown after all.
#include <doctest/doctest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/extras/gather_tuple.hpp"
#include "stage4_coroutines/gather.hpp"
#include "stage4_coroutines/task.hpp"
#include "tests/stage4_coroutines/helpers.hpp"
#include "tests/stage4_coroutines/loop_probe.hpp"
#include "tests/stage4_coroutines/virtual_time.hpp"

using namespace stage4;
using namespace std::chrono_literals;
using stage4_test::Counted;
using stage4_test::run_until_complete;
using stage4_test::run_until_idle;
using stage4_test::Tally;
using stage4_test::VirtualClock;

namespace {

Task<int> after(EventLoop& loop, Duration delay, int value, std::vector<int>& finished) {
  co_await stage4_test::note_after(loop, delay, value, finished);
  co_return value;
}

Task<int> fail_after(EventLoop& loop, Duration delay, std::string message) {
  co_await sleep(loop, delay);
  throw std::runtime_error(message);
}

Task<std::string> text_after(EventLoop& loop, Duration delay, std::string text) {
  co_await sleep(loop, delay);
  co_return text;
}

Task<void> nothing_after(EventLoop& loop, Duration delay, bool& done) {
  co_await sleep(loop, delay);
  done = true;
}

Task<int> hold_then(EventLoop& loop, Counted, int value) {
  co_await sleep(loop, 1ms);
  co_return value;
}

}  // namespace

TEST_CASE("gather returns the results in the order of the tasks, not of their ending") {
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  std::vector<int> finished;
  std::vector<Task<int>> tasks;
  for (int i = 0; i < 5; ++i) tasks.push_back(after(loop, Duration(50ms) - i * 10ms, i, finished));
  TimePoint start = clock.now();
  CHECK(run_until_complete(loop, clock, gather(loop, std::move(tasks))) ==
        std::vector<int>{0, 1, 2, 3, 4});
  CHECK(finished == std::vector<int>{4, 3, 2, 1, 0});
  CHECK(clock.now() - start == 50ms);  // concurrently: the longest, not the sum
}

TEST_CASE("gather of different types gives a tuple (a Task<void> gives std::monostate)") {
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  std::vector<int> finished;
  bool done = false;
  auto [number, text, nothing] =
      run_until_complete(loop, clock,
                         gather(loop, after(loop, 3ms, 7, finished), text_after(loop, 1ms, "seven"),
                                nothing_after(loop, 2ms, done)));
  CHECK(number == 7);
  CHECK(text == "seven");
  static_assert(std::is_same_v<decltype(nothing), std::monostate>);
  CHECK(done);
}

TEST_CASE("gather waits for every task, then rethrows the first failure in task order") {
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  std::vector<int> finished;
  std::vector<Task<int>> tasks;
  tasks.push_back(after(loop, 30ms, 0, finished));
  tasks.push_back(fail_after(loop, 20ms, "second failed"));
  tasks.push_back(fail_after(loop, 10ms, "third failed"));
  tasks.push_back(after(loop, 40ms, 3, finished));
  TimePoint start = clock.now();
  CHECK_THROWS_WITH_AS(run_until_complete(loop, clock, gather(loop, std::move(tasks))),
                       "second failed", std::runtime_error);
  CHECK(finished == std::vector<int>{0, 3});  // the others ran to their end
  CHECK(clock.now() - start == 40ms);
  CHECK(LoopProbe::timer_count(loop) == 0);
}

TEST_CASE("gather of nothing returns at once") {
  EventLoop loop;
  CHECK(loop.run_until_complete(gather(loop, std::vector<Task<int>>{})).empty());
  std::tuple<> none = loop.run_until_complete(gather(loop));
  (void)none;
}

TEST_CASE("gather of 10,000 tasks, each released exactly once") {
  Tally tally;
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  {
    std::vector<Task<int>> tasks;
    for (int i = 0; i < 10'000; ++i) tasks.push_back(hold_then(loop, Counted(tally), i));
    std::vector<int> results = run_until_complete(loop, clock, gather(loop, std::move(tasks)));
    REQUIRE(results.size() == 10'000);
    CHECK(results.front() == 0);
    CHECK(results.back() == 9'999);
  }
  CHECK(tally.alive() == 0);
  CHECK(LoopProbe::timer_count(loop) == 0);
  CHECK(!LoopProbe::has_ready(loop));
}
