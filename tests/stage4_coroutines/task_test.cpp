// Task<T>: values, exceptions, laziness, symmetric transfer, and who releases what.
#include <doctest/doctest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/extras/background_tasks.hpp"
#include "stage4_coroutines/extras/future.hpp"
#include "stage4_coroutines/gather.hpp"
#include "stage4_coroutines/task.hpp"
#include "stage4_coroutines/wait_for.hpp"
#include "tests/stage4_coroutines/helpers.hpp"
#include "tests/stage4_coroutines/loop_probe.hpp"

using namespace stage4;
using namespace std::chrono_literals;
using stage4_test::Counted;
using stage4_test::Tally;

namespace {

Task<int> answer() {
  co_return 42;
}

Task<int> add_one(Task<int> inner) {
  co_return 1 + co_await std::move(inner);
}

Task<void> set_flag(bool& flag) {
  flag = true;
  co_return;
}

Task<int> fail(std::string message) {
  throw std::runtime_error(message);
  co_return 0;
}

Task<std::string> catch_it() {
  try {
    co_await fail("inner failed");
  } catch (const std::runtime_error& error) {
    co_return std::string("caught: ") + error.what();
  }
  co_return "not reached";
}

Task<int> nested(int depth) {
  if (depth == 0) co_return 0;
  co_return 1 + co_await nested(depth - 1);
}

Task<std::unique_ptr<int>> boxed(int value) {
  co_return std::make_unique<int>(value);
}

Task<void> holds(Counted counted) {
  (void)counted;
  co_return;
}

Task<void> waits_forever(Future<int>& never, Counted counted) {
  Counted local = counted;
  co_await never;
}

}  // namespace

TEST_CASE("a Task<T> hands its value to the coroutine that awaits it") {
  EventLoop loop;
  CHECK(loop.run_until_complete(answer()) == 42);
  CHECK(loop.run_until_complete(add_one(add_one(answer()))) == 44);
  CHECK(*loop.run_until_complete(boxed(7)) == 7);  // move-only results
}

TEST_CASE("a Task<void> runs to its end") {
  EventLoop loop;
  bool flag = false;
  loop.run_until_complete(set_flag(flag));
  CHECK(flag);
}

TEST_CASE("a Task is lazy: calling the coroutine runs nothing until it is awaited") {
  bool flag = false;
  Task<void> task = set_flag(flag);
  CHECK_FALSE(flag);
  CHECK_FALSE(task.done());
  EventLoop loop;
  loop.run_until_complete(std::move(task));
  CHECK(flag);
}

TEST_CASE("an exception reaches the awaiting coroutine, and run_until_complete's caller") {
  EventLoop loop;
  CHECK(loop.run_until_complete(catch_it()) == "caught: inner failed");
  CHECK_THROWS_WITH_AS(loop.run_until_complete(fail("boom")), "boom", std::runtime_error);
  CHECK_THROWS_WITH_AS(loop.run_until_complete(add_one(fail("deep"))), "deep", std::runtime_error);
}

TEST_CASE("a chain of 100,000 nested awaits runs in constant stack (symmetric transfer)") {
  // Each level awaits the next and finishes without suspending. Without symmetric
  // transfer every level would resume the next inside its own stack frame, and the
  // default 8 MiB stack would overflow long before 100,000.
  EventLoop loop;
  CHECK(loop.run_until_complete(nested(100'000)) == 100'000);
}

TEST_CASE("a task never awaited releases its captured values exactly once") {
  Tally tally;
  {
    Task<void> task = holds(Counted(tally));
    CHECK(tally.alive() == 1);  // the copy in the frame; the argument itself is gone
  }
  CHECK(tally.constructed > 0);
  CHECK(tally.alive() == 0);
}

TEST_CASE("a finished task releases its captured values exactly once") {
  Tally tally;
  EventLoop loop;
  Task<void> task = holds(Counted(tally));
  loop.run_until_complete(std::move(task));
  CHECK(tally.constructed > 0);
  CHECK(tally.alive() == 0);
}

TEST_CASE("a task destroyed while suspended releases its locals and parameters exactly once") {
  Tally tally;
  EventLoop loop;
  Future<int> never(loop, "never");
  // It suspends on a future nobody sets: run_until_complete says so instead of hanging,
  // and the task (its parameter Task, destroyed on the way out) dies suspended.
  CHECK_THROWS_AS(loop.run_until_complete(waits_forever(never, Counted(tally))), std::logic_error);
  CHECK(tally.constructed >= 2);
  CHECK(tally.alive() == 0);
  CHECK(!LoopProbe::has_ready(loop));
}

TEST_CASE("moving a Task moves the ownership of its frame, assigning one destroys the old frame") {
  Tally tally;
  Task<void> first = holds(Counted(tally));
  Task<void> second = std::move(first);
  CHECK_FALSE(first.handle());
  CHECK(second.handle());
  CHECK(tally.alive() == 1);
  second = holds(Counted(tally));
  CHECK(tally.alive() == 1);  // the first frame is gone, the new one holds its copy
  second = Task<void>();
  CHECK(tally.alive() == 0);
}

TEST_CASE(
    "run_until_complete, co_await, gather, wait_for, create_task, set_name: an empty Task is an "
    "error, and so is awaiting a finished one") {
  // An empty Task (default-made, or moved from) has no frame: starting it would resume a
  // null handle, undefined behaviour. Every way of starting a task says so instead.
  // A finished Task cannot be started again either: the Task still holds its ended frame.
  EventLoop loop;
  Task<int> original = answer();
  Task<int> taken = std::move(original);
  CHECK_THROWS_WITH_AS(loop.run_until_complete(std::move(original)),
                       "run_until_complete: an empty Task (moved from?)", std::logic_error);
  auto await_it = [](Task<int>& task) -> Task<int> { co_return co_await std::move(task); };
  CHECK_THROWS_WITH_AS(loop.run_until_complete(await_it(original)),
                       "co_await: an empty Task (moved from?)", std::logic_error);
  BackgroundTasks background(loop);
  CHECK_THROWS_AS(background.create_task(Task<void>()), std::logic_error);
  std::vector<Task<int>> none(1);
  CHECK_THROWS_AS(loop.run_until_complete(gather(loop, std::move(none))), std::logic_error);
  CHECK_THROWS_AS(loop.run_until_complete(wait_for(loop, Task<int>(), 1s)), std::logic_error);
  CHECK_THROWS_AS(loop.set_name(original, "no observer, still an error"), std::logic_error);
  CHECK(loop.run_until_complete(await_it(taken)) == 42);  // the one that was moved to
  CHECK_THROWS_WITH_AS(loop.run_until_complete(await_it(taken)), "co_await: a finished Task",
                       std::logic_error);
  CHECK(background.size() == 0);
}
