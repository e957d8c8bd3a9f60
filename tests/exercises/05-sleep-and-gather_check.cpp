// 05-sleep-and-gather_check.cpp: the check of exercise 05
// (docs/exercises/05-sleep-and-gather.md), built against exercises/05-sleep-and-gather (the
// starter) and against its solution. Stage 3's loop runs on a clock the check moves by
// hand, so a 0.3 s sleep takes no time at all, and "when" is exact.
#include "futures.hpp"  // the exercise's (the starter's or the solution's: see CMakeLists.txt)

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "stage3_generators/event_loop.hpp"
#include "stage3_generators/generator.hpp"
#include "tests/exercises/show_vectors.hpp"
#include "tests/exercises/stage3_clock.hpp"

using stage3::FuturePtr;
using stage3::Generator;

namespace {

// Sleeps `seconds` with the exercise's sleep, then returns `value` (or throws it, when
// `fail` is set).
Generator<FuturePtr, std::string> value_after(stage3::EventLoop& loop, double seconds,
                                              std::string value, bool fail = false) {
  co_yield exercises::sleep(loop, seconds);
  if (fail) throw std::runtime_error(value);
  co_return value;
}

// Sleeps, then notes `name` and the time it woke up.
Generator<FuturePtr, int> note_after(stage3::EventLoop& loop, exercise_check::ManualClock& clock,
                                     double seconds, std::string name,
                                     std::vector<std::string>& woke, std::vector<double>& at) {
  co_yield exercises::sleep(loop, seconds);
  woke.push_back(std::move(name));
  at.push_back(clock.seconds());
  co_return 0;
}

}  // namespace

TEST_CASE("sleep: a future the loop resolves once its clock reaches the deadline") {
  exercise_check::ManualClock clock;
  stage3::EventLoop loop(common::default_selector_kind(), clock.function());
  auto slept = exercises::sleep(loop, 0.5);
  CHECK_FALSE(slept->done());  // not inside the call: later
  clock.advance(0.49);
  loop.run_once();
  CHECK_FALSE(slept->done());
  clock.advance(0.01);
  loop.run_once();
  CHECK(slept->done());
}

TEST_CASE("sleep: tasks wake up in the order of their deadlines, each at its own") {
  exercise_check::ManualClock clock;
  stage3::EventLoop loop(common::default_selector_kind(), clock.function());
  std::vector<std::string> woke;
  std::vector<double> at;
  auto a = loop.create_task(note_after(loop, clock, 0.3, "a", woke, at));
  auto b = loop.create_task(note_after(loop, clock, 0.1, "b", woke, at));
  auto c = loop.create_task(note_after(loop, clock, 0.2, "c", woke, at));
  exercise_check::run_with_clock(loop, clock, *a);
  CHECK(woke == std::vector<std::string>{"b", "c", "a"});
  REQUIRE(at.size() == 3);
  CHECK(at[0] == doctest::Approx(0.1));
  CHECK(at[1] == doctest::Approx(0.2));
  CHECK(at[2] == doctest::Approx(0.3));
}

TEST_CASE("gather: the results in the order of the tasks, once the last one is done") {
  exercise_check::ManualClock clock;
  stage3::EventLoop loop(common::default_selector_kind(), clock.function());
  std::vector<std::shared_ptr<stage3::Task<std::string>>> tasks{
      loop.create_task(value_after(loop, 0.3, "first")),
      loop.create_task(value_after(loop, 0.1, "second")),
      loop.create_task(value_after(loop, 0.2, "third"))};
  auto all = exercises::gather(tasks);
  CHECK_FALSE(all->done());
  exercise_check::run_with_clock(loop, clock, *all);
  CHECK(clock.seconds() == doctest::Approx(0.3));
  CHECK(all->result() == std::vector<std::string>{"first", "second", "third"});
}

TEST_CASE("gather: fails with the first task's exception, as soon as it fails") {
  exercise_check::ManualClock clock;
  stage3::EventLoop loop(common::default_selector_kind(), clock.function());
  std::vector<std::shared_ptr<stage3::Task<std::string>>> tasks{
      loop.create_task(value_after(loop, 0.1, "fine")),
      loop.create_task(value_after(loop, 0.2, "broken at 0.2 s", /*fail=*/true)),
      loop.create_task(value_after(loop, 0.5, "late")),
      loop.create_task(value_after(loop, 0.3, "broken at 0.3 s", /*fail=*/true))};
  auto all = exercises::gather(tasks);
  exercise_check::run_with_clock(loop, clock, *all);
  CHECK(clock.seconds() == doctest::Approx(0.2));  // not 0.5: gather does not wait for the rest
  CHECK(all->failed());
  CHECK_THROWS_WITH_AS(all->result(), "broken at 0.2 s", std::runtime_error);
  exercise_check::run_with_clock(loop, clock, *tasks[2]);  // the others go on, unwatched
  CHECK(all->failed());
}

TEST_CASE("gather: no tasks, done at once with no results") {
  stage3::EventLoop loop;
  auto all = exercises::gather(std::vector<std::shared_ptr<stage3::Task<int>>>{});
  REQUIRE(all->done());
  CHECK(all->result().empty());
}

TEST_CASE("gather of 10,000 tasks sleeping 1 s: done after 1 s, every result in place") {
  exercise_check::ManualClock clock;
  stage3::EventLoop loop(common::default_selector_kind(), clock.function());
  std::vector<std::shared_ptr<stage3::Task<std::string>>> tasks;
  for (int i = 0; i < 10000; ++i) {
    tasks.push_back(loop.create_task(value_after(loop, 1.0, std::to_string(i))));
  }
  auto all = exercises::gather(tasks);
  exercise_check::run_with_clock(loop, clock, *all);
  CHECK(clock.seconds() == doctest::Approx(1.0));
  REQUIRE(all->result().size() == 10000);
  CHECK(all->result()[0] == "0");
  CHECK(all->result()[9999] == "9999");
}
