// EventLoop: timers on a clock the test drives, the ready list, spawned tasks, Futures,
// sockets, and what --debug and --trace-loop print.
#include <doctest/doctest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/fd.hpp"
#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/extras/background_tasks.hpp"
#include "stage4_coroutines/extras/future.hpp"
#include "stage4_coroutines/extras/loop_trace.hpp"
#include "stage4_coroutines/gather.hpp"
#include "stage4_coroutines/socket_ops.hpp"
#include "stage4_coroutines/task.hpp"
#include "tests/stage4_coroutines/helpers.hpp"
#include "tests/stage4_coroutines/loop_probe.hpp"
#include "tests/stage4_coroutines/virtual_time.hpp"
#include "tests/support/timing.hpp"

using namespace stage4;
using namespace std::chrono_literals;
using stage4_test::Counted;
using stage4_test::note_after;
using stage4_test::run_until_complete;
using stage4_test::run_until_idle;
using stage4_test::Tally;
using stage4_test::VirtualClock;

namespace {

Task<void> yield_and_note(EventLoop& loop, int id, std::vector<int>& order) {
  for (int round = 0; round < 3; ++round) {
    order.push_back(id * 10 + round);
    co_await sleep(loop, 0s);  // asyncio.sleep(0): let the others run
  }
}

Task<int> wait_for_future(Future<int>& future, Counted) {
  co_return co_await future;
}

Task<void> sleep_forever(EventLoop& loop, Counted) {
  co_await sleep(loop, 24h);
}

Task<void> fail_later(EventLoop& loop) {
  co_await sleep(loop, 1ms);
  throw std::runtime_error("spawned and failed");
}

Task<void> set_later(EventLoop& loop, Future<int>& future, int value) {
  co_await sleep(loop, 5ms);
  future.set_result(value);
}

Task<std::string> read_one(EventLoop& loop, int fd) {
  co_await readable(loop, fd);
  char byte = 0;
  CHECK(::read(fd, &byte, 1) == 1);
  co_return std::string(1, byte);
}

Task<void> write_later(EventLoop& loop, int fd) {
  co_await sleep(loop, 1ms);
  CHECK(::write(fd, "x", 1) == 1);
}

Task<int> answer(Counted) {
  co_return 42;
}

// asyncio.run(answer()) inside async def: a loop of its own, run inside a step.
Task<int> answer_on_a_loop_of_its_own(Tally& tally) {
  EventLoop inner;
  co_return inner.run_until_complete(answer(Counted(tally)));
}

// The same on another thread (blocking this one meanwhile: a test may); -1 if refused.
Task<int> answer_on_another_thread(Tally& tally) {
  int value = 0;
  std::thread other([&] {
    EventLoop own;
    try {
      value = own.run_until_complete(answer(Counted(tally)));
    } catch (const std::logic_error&) {
      value = -1;
    }
  });
  other.join();
  co_return value;
}

Task<void> block(std::chrono::milliseconds duration) {
  std::this_thread::sleep_for(duration);  // what not to do in a coroutine
  co_return;
}

}  // namespace

TEST_CASE("sleeps end in deadline order, in virtual time") {
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  BackgroundTasks background(loop);  // after the loop: it dies first
  std::vector<int> woke;
  TimePoint start = clock.now();
  background.create_task(note_after(loop, 30ms, 30, woke));
  background.create_task(note_after(loop, 10ms, 10, woke));
  background.create_task(note_after(loop, 20ms, 20, woke));
  run_until_idle(loop, clock);
  CHECK(woke == std::vector<int>{10, 20, 30});
  CHECK(clock.now() - start == 30ms);  // the clock jumped from deadline to deadline
  CHECK(background.size() == 0);
  CHECK(LoopProbe::timer_count(loop) == 0);
}

TEST_CASE("sleeps due at the same instant end in the order they started (one batch)") {
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  BackgroundTasks background(loop);  // after the loop: it dies first
  std::vector<int> woke;
  for (int id = 0; id < 5; ++id) background.create_task(note_after(loop, 10ms, id, woke));
  loop.run_once(0ms);                        // every task takes its first step and sets its timer
  CHECK(LoopProbe::timer_count(loop) == 1);  // one deadline: one batch
  run_until_idle(loop, clock);
  CHECK(woke == std::vector<int>{0, 1, 2, 3, 4});
}

TEST_CASE("the loop reads the clock it is given: a test moves time by hand") {
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  BackgroundTasks background(loop);  // after the loop: it dies first
  std::vector<int> woke;
  background.create_task(note_after(loop, 10ms, 10, woke));
  background.create_task(note_after(loop, 25ms, 25, woke));
  loop.run_once(0ms);  // both start, and set their timers
  clock.advance(9ms);
  loop.run_once(0ms);
  CHECK(woke.empty());
  clock.advance(1ms);
  loop.run_once(0ms);
  CHECK(woke == std::vector<int>{10});
  clock.advance(10ms);
  loop.run_once(0ms);
  CHECK(woke == std::vector<int>{10});
  clock.advance(10ms);
  loop.run_once(0ms);
  CHECK(woke == std::vector<int>{10, 25});
}

TEST_CASE("sleep(0) yields: tasks take turns") {
  EventLoop loop;
  BackgroundTasks background(loop);  // after the loop: it dies first
  std::vector<int> order;
  background.create_task(yield_and_note(loop, 1, order));
  background.create_task(yield_and_note(loop, 2, order));
  stage4_test::run_until_idle(loop);
  CHECK(order == std::vector<int>{10, 20, 11, 21, 12, 22});
}

TEST_CASE("real time: 20 rounds of 100 concurrent 5 ms sleeps take about 100 ms" *
          test_support::timing) {
  // The 100 sleeps of a round overlap: 20 rounds take about 20 x 5 ms, where sleeping one
  // after another would take 20 x 100 x 5 ms = 10 s.
  EventLoop loop;
  std::vector<int> woke;
  auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < 20; ++round) {
    std::vector<Task<void>> sleeps;
    for (int id = 0; id < 100; ++id) sleeps.push_back(note_after(loop, 5ms, id, woke));
    loop.run_until_complete(gather(loop, std::move(sleeps)));
  }
  auto wall = std::chrono::steady_clock::now() - start;
  CHECK(woke.size() == 2000);
  CHECK(wall >= 100ms);
  CHECK(wall < std::chrono::duration<double>(test_support::well_below(20 * 100 * 0.005)));
}

TEST_CASE("a Future wakes every waiter, in order, at the loop's next turn") {
  Tally tally;
  EventLoop loop;
  BackgroundTasks background(loop);  // after the loop: it dies first
  Future<int> future(loop, "answer");
  CHECK_FALSE(future.done());
  std::vector<Task<int>> waiters;
  for (int i = 0; i < 3; ++i) waiters.push_back(wait_for_future(future, Counted(tally)));
  background.create_task(set_later(loop, future, 42));
  CHECK(loop.run_until_complete(gather(loop, std::move(waiters))) == std::vector<int>{42, 42, 42});
  CHECK(future.done());
  CHECK(future.result() == 42);
  CHECK_THROWS_AS(future.set_result(1), std::logic_error);
  CHECK(tally.alive() == 0);
  // Awaiting a future that is already done does not suspend.
  CHECK(loop.run_until_complete(wait_for_future(future, Counted(tally))) == 42);
}

TEST_CASE("a Future's exception is rethrown in every waiter") {
  Tally tally;
  EventLoop loop;
  Future<int> future(loop);
  future.set_exception(std::make_exception_ptr(std::runtime_error("no answer")));
  CHECK(future.failed());
  CHECK_THROWS_WITH(loop.run_until_complete(wait_for_future(future, Counted(tally))), "no answer");
  CHECK_THROWS_AS(future.set_result(1), std::logic_error);
}

TEST_CASE("run_until_complete refuses to wait forever for a task nothing can wake") {
  Tally tally;
  EventLoop loop;
  Future<int> never(loop, "never");
  CHECK_THROWS_AS(loop.run_until_complete(wait_for_future(never, Counted(tally))),
                  std::logic_error);
  CHECK(tally.alive() == 0);  // the task died suspended, and released its parameter
}

TEST_CASE(
    "create_task: BackgroundTasks owns the task, destroys it when it ends, logs its exception") {
  std::ostringstream log;
  std::streambuf* stderr_buffer = std::cerr.rdbuf(log.rdbuf());  // the loop writes to stderr
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  BackgroundTasks background(loop);  // after the loop: it dies first
  background.create_task(fail_later(loop));
  CHECK(background.size() == 1);
  run_until_idle(loop, clock);
  std::cerr.rdbuf(stderr_buffer);
  CHECK(background.size() == 0);
  CHECK(log.str().find("spawned and failed") != std::string::npos);
}

TEST_CASE("background tasks still suspended at the end are destroyed exactly once") {
  Tally tally;
  {
    VirtualClock clock;
    EventLoop loop({.now = clock.function()});
    BackgroundTasks background(loop);  // after the loop: it dies first
    for (int i = 0; i < 3; ++i) background.create_task(sleep_forever(loop, Counted(tally)));
    loop.run_once(0ms);
    CHECK(LoopProbe::timer_count(loop) == 1);  // one deadline
    CHECK(tally.alive() == 3);
  }
  CHECK(tally.alive() == 0);
}

TEST_CASE("readable(): a coroutine sleeps until its socket has data, then the fd is unwatched") {
  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
  common::Fd reader(fds[0]), writer(fds[1]);
  for (auto kind :
       {common::SelectorKind::epoll, common::SelectorKind::poll, common::SelectorKind::select}) {
    CAPTURE(common::to_string(kind));
    EventLoop loop({.selector = kind});
    BackgroundTasks background(loop);  // after the loop: it dies first
    background.create_task(write_later(loop, writer.get()));
    CHECK(loop.run_until_complete(read_one(loop, reader.get())) == "x");
    CHECK(LoopProbe::fd_count(loop) == 0);
    stage4_test::run_until_idle(loop);
  }
}

TEST_CASE("--debug: a step that blocks longer than the threshold is reported, by name" *
          test_support::timing) {
  std::ostringstream log;
  // The quick step must stay under the threshold even when a busy machine deschedules it.
  LoopTrace trace({.debug = true, .slow_step = 300ms, .log = &log});
  EventLoop loop({.observer = &trace});
  Task<void> slow = block(400ms);
  loop.set_name(slow, "make_tcp_request(7)");
  Task<void> quick = block(0ms);
  loop.set_name(quick, "quick(1)");
  std::vector<Task<void>> both;
  both.push_back(std::move(slow));
  both.push_back(std::move(quick));
  loop.run_until_complete(gather(loop, std::move(both)));
  std::string text = log.str();
  CHECK(text.find("make_tcp_request(7) ran for") != std::string::npos);
  CHECK(text.find("without yielding") != std::string::npos);
  CHECK(text.find("quick(1)") == std::string::npos);
}

TEST_CASE("--trace-loop: one line per step, suspension, wake-up and select() return") {
  std::ostringstream log;
  LoopTrace trace({.trace = true, .log = &log});
  EventLoop loop({.observer = &trace});
  BackgroundTasks background(loop);  // after the loop: it dies first
  Future<int> future(loop, "answer");
  Tally tally;
  std::vector<Task<int>> waiters;
  waiters.push_back(wait_for_future(future, Counted(tally)));
  loop.set_name(waiters[0], "waiter");
  background.create_task(set_later(loop, future, 1));
  loop.run_until_complete(gather(loop, std::move(waiters)));
  std::string text = log.str();
  // Stage 3's format: "[  0.000123] step     waiter", the event padded to 9 columns.
  CHECK(text.find("] step     waiter\n") != std::string::npos);
  CHECK(text.find("] await    waiter waits for answer\n") != std::string::npos);
  CHECK(text.find("] ready    answer -> waiter\n") != std::string::npos);
  CHECK(text.find("] select   woke after ") != std::string::npos);
  CHECK(text.find("] return   waiter is done\n") != std::string::npos);
}

TEST_CASE("between steps the loop's current task is none: never a task already released") {
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  BackgroundTasks background(loop);  // after the loop: it dies first
  std::vector<int> woke;
  background.create_task(note_after(loop, 1ms, 1, woke));
  loop.run_once(0ms);
  CHECK(LoopProbe::current_task(loop) == nullptr);  // the task is suspended, and not running
  clock.advance(1ms);
  loop.run_once(0ms);
  CHECK(woke == std::vector<int>{1});
  CHECK(background.size() == 0);                    // it ended and was released...
  CHECK(LoopProbe::current_task(loop) == nullptr);  // ...and the loop does not point at it
}

TEST_CASE("run_once from inside a step is an error, not a frame destroyed while it runs") {
  EventLoop loop;
  auto reenter = [](EventLoop& inner) -> Task<void> {
    co_await sleep(inner, 0s);
    inner.run_once(0ms);  // a turn inside a turn could resume, or cancel, anything
  };
  CHECK_THROWS_WITH_AS(loop.run_until_complete(reenter(loop)),
                       "run_once: a loop is already running on this thread (from a step?)",
                       std::logic_error);
}

TEST_CASE("a second loop run inside a step is refused too, a loop on another thread is not") {
  // asyncio.run() inside async def: the inner loop would run its task to the end while
  // every task of the outer one waits. One loop per thread, as asyncio has it.
  Tally tally;
  EventLoop loop;
  CHECK_THROWS_WITH_AS(loop.run_until_complete(answer_on_a_loop_of_its_own(tally)),
                       "run_once: a loop is already running on this thread (from a step?)",
                       std::logic_error);
  CHECK(tally.constructed > 0);
  CHECK(tally.alive() == 0);  // the inner task, refused, was released
  CHECK(loop.run_until_complete(answer_on_another_thread(tally)) == 42);
  CHECK(tally.alive() == 0);
}
