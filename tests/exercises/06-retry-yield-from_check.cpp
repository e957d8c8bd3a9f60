// 06-retry-yield-from_check.cpp: the check of exercise 06
// (docs/exercises/06-retry-yield-from.md), built against exercises/06-retry-yield-from (the
// starter) and against its solution. The attempts sleep 0.1 s on a clock the check moves
// by hand; the retry pauses 0.05 s between them, so every time below is exact.
#include "retry.hpp"  // the exercise's (the starter's or the solution's: see CMakeLists.txt)

#include <doctest/doctest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "stage3_generators/event_loop.hpp"
#include "stage3_generators/generator.hpp"
#include "stage3_generators/task.hpp"
#include "tests/exercises/show_vectors.hpp"
#include "tests/exercises/stage3_clock.hpp"

using stage3::FuturePtr;
using stage3::Generator;

namespace {

constexpr double attempt_seconds = 0.1;
constexpr double pause_seconds = 0.05;

// What the attempts did: when each started, and how many attempt frames were alive then.
struct Record {
  int started = 0;
  int alive = 0;
  std::vector<double> started_at;
  std::vector<int> alive_at_start;
};

// Lives in an attempt's frame: counts the frames alive.
class Alive {
 public:
  explicit Alive(Record& record) : record_(record) { ++record_.alive; }
  ~Alive() { --record_.alive; }
  Alive(const Alive&) = delete;
  Alive& operator=(const Alive&) = delete;

 private:
  Record& record_;
};

// An attempt that takes 0.1 s, and fails if it is one of the first `failures` attempts.
exercises::Attempt<int> flaky(stage3::EventLoop& loop, exercise_check::ManualClock& clock,
                              Record& record, int failures) {
  record.alive_at_start.push_back(record.alive);
  Alive alive(record);
  const int attempt = ++record.started;
  record.started_at.push_back(clock.seconds());
  co_yield stage3::sleep(loop, attempt_seconds);
  if (attempt <= failures)
    throw std::runtime_error("attempt " + std::to_string(attempt) + " failed");
  co_return 40 + attempt;
}

struct Fixture {
  exercise_check::ManualClock clock;
  stage3::EventLoop loop{common::default_selector_kind(), clock.function()};
  Record record;

  Generator<FuturePtr, int> retry(int failures, int attempts) {
    return exercises::retry<int>(
        loop, [this, failures] { return flaky(loop, clock, record, failures); }, attempts,
        pause_seconds);
  }
  template <typename T>
  void run(const std::shared_ptr<stage3::Task<T>>& task) {
    exercise_check::run_with_clock(loop, clock, *task);
  }
};

// The article's consume_response: a generator that delegates to the retry, two levels deep.
Generator<FuturePtr, std::string> consume(Generator<FuturePtr, int> retrying) {
  int value = co_yield stage3::yield_from(std::move(retrying));
  co_return "got " + std::to_string(value);
}

}  // namespace

TEST_CASE("an attempt that succeeds: one attempt, its result, no pause") {
  Fixture f;
  auto task = f.loop.create_task(f.retry(/*failures=*/0, /*attempts=*/3));
  f.run(task);
  CHECK(task->result() == 41);
  CHECK(f.record.started == 1);
  CHECK(f.clock.seconds() == doctest::Approx(attempt_seconds));
}

TEST_CASE("two failures, then a success: three attempts, a pause before each retry") {
  Fixture f;
  auto task = f.loop.create_task(f.retry(/*failures=*/2, /*attempts=*/3));
  f.run(task);
  REQUIRE_FALSE(task->failed());
  CHECK(task->result() == 43);
  CHECK(f.record.started == 3);
  REQUIRE(f.record.started_at.size() == 3);
  CHECK(f.record.started_at[0] == doctest::Approx(0));
  CHECK(f.record.started_at[1] == doctest::Approx(attempt_seconds + pause_seconds));
  CHECK(f.record.started_at[2] == doctest::Approx(2 * (attempt_seconds + pause_seconds)));
  CHECK(f.clock.seconds() == doctest::Approx(3 * attempt_seconds + 2 * pause_seconds));
}

TEST_CASE("every attempt fails: exactly `attempts` attempts, and the last one's exception") {
  Fixture f;
  auto task = f.loop.create_task(f.retry(/*failures=*/99, /*attempts=*/3));
  f.run(task);
  CHECK(task->failed());
  CHECK_THROWS_WITH_AS(task->result(), "attempt 3 failed", std::runtime_error);
  CHECK(f.record.started == 3);
  CHECK(f.clock.seconds() == doctest::Approx(3 * attempt_seconds + 2 * pause_seconds));
}

TEST_CASE("a failed attempt's frame is destroyed before the next attempt starts") {
  Fixture f;
  auto task = f.loop.create_task(f.retry(/*failures=*/3, /*attempts=*/4));
  f.run(task);
  CHECK(task->result() == 44);
  CHECK(f.record.alive_at_start == std::vector<int>{0, 0, 0, 0});
  CHECK(f.record.alive == 0);
}

TEST_CASE("delegating to a retry: the attempts' futures pass through two levels") {
  Fixture f;
  auto task = f.loop.create_task(consume(f.retry(/*failures=*/1, /*attempts=*/2)));
  f.run(task);
  CHECK(task->result() == "got 42");
  CHECK(f.clock.seconds() == doctest::Approx(2 * attempt_seconds + pause_seconds));
}
