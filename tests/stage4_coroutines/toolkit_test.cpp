// The asyncio toolkit of stage 4's extras, in virtual time: shield, TaskSet (wait_first,
// as_completed), Queue (join, task_done), Lock. to_thread, in real time: to_thread_test.cpp.
#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/extras/background_tasks.hpp"
#include "stage4_coroutines/extras/lock.hpp"
#include "stage4_coroutines/extras/queue.hpp"
#include "stage4_coroutines/extras/shield.hpp"
#include "stage4_coroutines/extras/task_set.hpp"
#include "stage4_coroutines/gather.hpp"
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

long long ms(Duration duration) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(duration).count();
}

Task<int> value_after(EventLoop& loop, Duration delay, int value, Counted) {
  co_await sleep(loop, delay);
  co_return value;
}

Task<int> fail_after(EventLoop& loop, Duration delay) {
  co_await sleep(loop, delay);
  throw std::runtime_error("failed after its sleep");
}

// `task`'s value, and when it came, in ms from its start. (After run_until_complete the
// virtual clock may already stand at the next timer: the test asks the task instead.)
template <typename T>
Task<std::pair<T, long long>> timed(VirtualClock& clock, Task<T> task) {
  const TimePoint start = clock.now();
  T value = co_await std::move(task);
  co_return std::pair{std::move(value), ms(clock.now() - start)};
}

void check_loop_is_empty(const EventLoop& loop) {
  CHECK(LoopProbe::timer_count(loop) == 0);
  CHECK(!LoopProbe::has_ready(loop));
  CHECK(LoopProbe::fd_count(loop) == 0);
}

}  // namespace

// ---- shield ------------------------------------------------------------------------------

namespace {

// [docs:toolkit-shield]
// A save that must not be cut short: awaited under a timeout, it still runs to its end.
Task<int> save(EventLoop& loop, std::vector<std::string>& log, Counted) {
  co_await sleep(loop, 50ms);
  log.push_back("saved");
  co_return 7;
}

Task<int> save_within(EventLoop& loop, BackgroundTasks& background, std::vector<std::string>& log,
                      Counted counted) {
  try {
    co_return co_await wait_for(loop, shield(background, save(loop, log, counted)), 10ms);
  } catch (const TimeoutError&) {
    log.push_back("timed out");  // we stop waiting; `background` owns the save, which runs on
    co_return -1;
  }
}
// [/docs]

}  // namespace

TEST_CASE("shield: the awaiting side gets the task's value, or its exception") {
  Tally tally;
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  BackgroundTasks background(loop);  // after the loop: it dies first
  CHECK(run_until_complete(loop, clock,
                           shield(background, value_after(loop, 5ms, 3, Counted(tally)))) == 3);
  CHECK_THROWS_WITH_AS(run_until_complete(loop, clock, shield(background, fail_after(loop, 5ms))),
                       "failed after its sleep", std::runtime_error);
  run_until_idle(loop, clock);
  CHECK(background.size() == 0);
  CHECK(tally.alive() == 0);
}

TEST_CASE(
    "shield: cancelling the awaiting side does not cancel the task, which runs on to its end") {
  Tally tally;
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  std::vector<std::string> log;
  {
    BackgroundTasks background(loop);  // after the loop: it dies first
    const TimePoint start = clock.now();
    CHECK(run_until_complete(loop, clock,
                             timed(clock, save_within(loop, background, log, Counted(tally)))) ==
          std::pair{-1, 10LL});  // wait_for gave up at its timeout...
    CHECK(log == std::vector<std::string>{"timed out"});
    CHECK(background.size() == 1);  // ...and the save still runs, owned by `background`
    run_until_idle(loop, clock);
    CHECK(ms(clock.now() - start) == 50);
    CHECK(log == std::vector<std::string>{"timed out", "saved"});
    CHECK(background.size() == 0);
  }
  CHECK(tally.alive() == 0);
  check_loop_is_empty(loop);
}

TEST_CASE("shield: the task starts at once, awaited or not, and dies with its owner, once") {
  Tally tally;
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  {
    BackgroundTasks background(loop);  // after the loop: it dies first
    Task<int> awaiting = shield(background, value_after(loop, 1h, 1, Counted(tally)));
    loop.run_once(0ms);  // the shielded task starts at once, awaited or not (as in asyncio)
    CHECK(LoopProbe::timer_count(loop) == 1);
    CHECK(tally.alive() == 1);
  }
  CHECK(tally.alive() == 0);
  check_loop_is_empty(loop);
}

// ---- TaskSet: wait_first, as_completed -----------------------------------------------------

namespace {

// [docs:toolkit-as-completed]
// Every result of `tasks`, in the order they finish, each noted with when it came.
Task<std::vector<std::string>> as_they_finish(TaskSet<int>& tasks, VirtualClock& clock,
                                              TimePoint start) {
  std::vector<std::string> got;
  while (tasks.pending() > 0) {
    const int value = co_await tasks.next();  // asyncio: for task in as_completed(tasks)
    got.push_back(std::to_string(value) + " at " + std::to_string(ms(clock.now() - start)));
  }
  co_return got;
}
// [/docs]

// [docs:toolkit-wait-first]
// The first task to finish; the others run on in `tasks`, which owns them.
Task<std::string> first_of(TaskSet<int>& tasks) {
  std::vector<Task<int>> done = co_await tasks.wait_first();  // FIRST_COMPLETED
  co_return std::to_string(done.size()) + " done (" + std::to_string(done.front().result()) +
      "), " + std::to_string(tasks.pending()) + " pending";
}
// [/docs]

}  // namespace

TEST_CASE("as_completed: the results in the order the tasks finish, each as it finishes") {
  Tally tally;
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  std::vector<Task<int>> list;
  using Step = std::pair<Duration, int>;  // a task's sleep, and its value
  for (auto [delay, value] : std::vector<Step>{{30ms, 30}, {10ms, 10}, {20ms, 20}, {10ms, 11}})
    list.push_back(value_after(loop, delay, value, Counted(tally)));
  TaskSet<int> tasks = as_completed(loop, std::move(list));
  // 10 and 11 end in the same turn (one timer batch): in the order they started.
  CHECK(run_until_complete(loop, clock, as_they_finish(tasks, clock, clock.now())) ==
        std::vector<std::string>{"10 at 10", "11 at 10", "20 at 20", "30 at 30"});
  CHECK(tally.alive() == 0);
  check_loop_is_empty(loop);
}

TEST_CASE(
    "wait_first: the first task to finish, while the others run on and can be awaited later") {
  Tally tally;
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  std::vector<Task<int>> list;
  for (int i = 3; i >= 1; --i) list.push_back(value_after(loop, i * 10ms, i, Counted(tally)));
  TaskSet<int> tasks(loop, std::move(list));
  const TimePoint start = clock.now();
  CHECK(run_until_complete(loop, clock, timed(clock, first_of(tasks))) ==
        std::pair{std::string("1 done (1), 2 pending"), 10LL});
  CHECK(tally.alive() == 2);  // the first one's frame went with `done`
  CHECK(run_until_complete(loop, clock, as_they_finish(tasks, clock, start)) ==
        std::vector<std::string>{"2 at 20", "3 at 30"});
  CHECK(tally.alive() == 0);
}

TEST_CASE("TaskSet: a failed task rethrows from next(), and from result() after wait_first") {
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  Tally tally;
  std::vector<Task<int>> list;
  list.push_back(fail_after(loop, 1ms));
  list.push_back(value_after(loop, 2ms, 2, Counted(tally)));
  TaskSet<int> tasks(loop, std::move(list));
  auto next = [](TaskSet<int>& set) -> Task<int> { co_return co_await set.next(); };
  CHECK_THROWS_WITH_AS(run_until_complete(loop, clock, next(tasks)), "failed after its sleep",
                       std::runtime_error);
  CHECK(run_until_complete(loop, clock, next(tasks)) == 2);
  CHECK_THROWS_AS(run_until_complete(loop, clock, next(tasks)), std::logic_error);  // none left

  std::vector<Task<int>> again;
  again.push_back(fail_after(loop, 1ms));
  TaskSet<int> failing(loop, std::move(again));
  auto first = [](TaskSet<int>& set) -> Task<std::vector<Task<int>>> {
    co_return co_await set.wait_first();
  };
  std::vector<Task<int>> done = run_until_complete(loop, clock, first(failing));
  REQUIRE(done.size() == 1);
  CHECK_THROWS_WITH_AS(done[0].result(), "failed after its sleep", std::runtime_error);
}

TEST_CASE("TaskSet: cancel() destroys the tasks still running, with their timers") {
  Tally tally;
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  std::vector<Task<int>> list;
  for (int i = 0; i < 4; ++i) list.push_back(value_after(loop, 1h, i, Counted(tally)));
  TaskSet<int> tasks(loop, std::move(list));
  loop.run_once(0ms);  // they take their first step, and set their timers (one batch)
  CHECK(tally.alive() == 4);
  CHECK(LoopProbe::timer_count(loop) == 1);
  tasks.cancel();  // (asyncio: task.cancel() for each pending task)
  CHECK(tasks.pending() == 0);
  CHECK(tally.alive() == 0);
  check_loop_is_empty(loop);
}

// ---- Queue: join, task_done ------------------------------------------------------------------

namespace {

// [docs:toolkit-queue]
// A worker takes items for ever; task_done() tells join() that one more is processed.
Task<void> worker(EventLoop& loop, Queue<int>& queue, std::vector<int>& processed, Counted) {
  for (;;) {
    const int item = co_await queue.get();
    co_await sleep(loop, 10ms);  // processing it takes a while
    processed.push_back(item);
    queue.task_done();
  }
}

Task<void> process(EventLoop& loop, std::vector<int> items, std::vector<int>& processed,
                   Tally& tally) {
  Queue<int> queue(loop);
  for (int item : items) queue.put(item);
  std::vector<Task<void>> list;
  for (int i = 0; i < 3; ++i) list.push_back(worker(loop, queue, processed, Counted(tally)));
  TaskSet<void> workers(loop, std::move(list));  // they start: asyncio's create_task
  co_await queue.join();                         // every item put is processed
  workers.cancel();  // the workers wait in get() for ever: destroy their frames there
}
// [/docs]

Task<int> get_one(Queue<int>& queue) {
  co_return co_await queue.get();
}

Task<int> put_then_get(Queue<int>& queue, int item) {
  queue.put(item);
  co_return co_await queue.get();  // a getter woken by this put is first in line
}

Task<int> put_later(EventLoop& loop, Queue<int>& queue, std::vector<int> items) {
  for (int item : items) {
    co_await sleep(loop, 10ms);
    queue.put(item);
  }
  co_return 0;
}

Task<int> get_after(EventLoop& loop, Queue<int>& queue, Duration delay) {
  co_await sleep(loop, delay);
  co_return co_await queue.get();
}

}  // namespace

TEST_CASE(
    "Queue: join() returns once every item put is task_done, then the workers are cancelled") {
  Tally tally;
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  std::vector<int> processed;
  const TimePoint start = clock.now();
  run_until_complete(loop, clock, process(loop, {1, 2, 3, 4, 5, 6, 7}, processed, tally));
  CHECK(processed == std::vector<int>{1, 2, 3, 4, 5, 6, 7});  // all 7, when join() returned
  CHECK(ms(clock.now() - start) == 30);                       // 3 workers, 3 rounds of 10 ms
  CHECK(tally.constructed > 0);
  CHECK(tally.alive() == 0);  // the three workers, cancelled where they waited
  check_loop_is_empty(loop);
}

TEST_CASE("Queue: task_done() more times than items put is an error, join() of none is ready") {
  EventLoop loop;
  Queue<int> queue(loop);
  auto join = [](Queue<int>& q) -> Task<void> { co_await q.join(); };
  loop.run_until_complete(join(queue));  // nothing was put: nothing to wait for
  queue.put(1);
  CHECK(queue.unfinished() == 1);
  queue.task_done();
  CHECK_THROWS_AS(queue.task_done(), std::logic_error);
}

TEST_CASE("Queue: getters are served in line, a get() that comes later does not overtake") {
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  Queue<int> queue(loop);
  std::vector<Task<int>> tasks;
  tasks.push_back(get_one(queue));          // waits first
  tasks.push_back(get_one(queue));          // waits second
  tasks.push_back(put_then_get(queue, 1));  // 1 is the first getter's: this one waits
  tasks.push_back(put_later(loop, queue, {2, 3}));
  CHECK(run_until_complete(loop, clock, gather(loop, std::move(tasks))) ==
        std::vector<int>{1, 2, 3, 0});
  CHECK(queue.size() == 0);
}

TEST_CASE("Queue: a getter woken, then cancelled before it ran, passes its item on") {
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  Queue<int> queue(loop);
  std::vector<Task<int>> tasks;
  // At 10 ms the put comes first and wakes the first getter; then, in the same turn, that
  // getter's wait_for times out and destroys it before it could run.
  tasks.push_back(put_later(loop, queue, {1}));
  tasks.push_back(catch_timeout(loop, get_one(queue), 10ms));
  tasks.push_back(get_after(loop, queue, 1ms));  // second in line
  CHECK(run_until_complete(loop, clock, gather(loop, std::move(tasks))) ==
        std::vector<int>{0, -1, 1});
  CHECK(queue.size() == 0);
  check_loop_is_empty(loop);
}

// ---- Lock ------------------------------------------------------------------------------------

namespace {

// Read, await, write: with `lock`, one task at a time from the read to the write.
Task<void> add_one(EventLoop& loop, int& counter, Lock* lock) {
  std::optional<Lock::Held> held;
  if (lock) held.emplace(co_await lock->acquire());
  const int seen = counter;
  co_await sleep(loop, 1ms);
  counter = seen + 1;
}

Task<int> hold_for(EventLoop& loop, Lock& lock, Duration duration) {
  Lock::Held held = co_await lock.acquire();
  co_await sleep(loop, duration);
  co_return 0;
}

// When it got the lock, in ms since `start`.
Task<int> acquire_after(EventLoop& loop, Lock& lock, Duration delay, TimePoint start) {
  co_await sleep(loop, delay);
  Lock::Held held = co_await lock.acquire();
  co_return static_cast<int>(ms(loop.time() - start));
}

Task<int> acquire_now(Lock& lock) {
  Lock::Held held = co_await lock.acquire();
  co_return 1;
}

}  // namespace

TEST_CASE("Lock: one task at a time from acquire to release, across co_awaits: no lost update") {
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  for (bool locked : {false, true}) {
    CAPTURE(locked);
    Lock lock(loop);
    int counter = 0;
    std::vector<Task<void>> tasks;
    for (int i = 0; i < 10; ++i) tasks.push_back(add_one(loop, counter, locked ? &lock : nullptr));
    const TimePoint start = clock.now();
    run_until_complete(loop, clock, gather(loop, std::move(tasks)));
    // Without the lock all ten read 0 before any wrote: nine updates lost.
    CHECK(counter == (locked ? 10 : 1));
    CHECK(ms(clock.now() - start) == (locked ? 10 : 1));  // in turn, or all at once
    CHECK_FALSE(lock.locked());
  }
}

TEST_CASE("Lock: a holder cancelled while it holds the lock releases it") {
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  Lock lock(loop);
  std::vector<Task<int>> tasks;
  tasks.push_back(catch_timeout(loop, hold_for(loop, lock, 1h), 5ms));  // destroyed at 5 ms
  tasks.push_back(acquire_after(loop, lock, 1ms, clock.now()));         // waits from 1 ms
  CHECK(run_until_complete(loop, clock, gather(loop, std::move(tasks))) == std::vector<int>{-1, 5});
  CHECK_FALSE(lock.locked());
}

TEST_CASE("Lock: a waiter handed the lock, then cancelled before it ran, passes it on") {
  VirtualClock clock;
  EventLoop loop({.now = clock.function()});
  Lock lock(loop);
  std::vector<Task<int>> tasks;
  // At 10 ms the holder releases first, handing the lock to the first waiter; then, in the
  // same turn, that waiter's wait_for times out and destroys it before it could run.
  tasks.push_back(hold_for(loop, lock, 10ms));
  tasks.push_back(catch_timeout(loop, acquire_now(lock), 10ms));
  tasks.push_back(acquire_after(loop, lock, 1ms, clock.now()));  // second in line
  CHECK(run_until_complete(loop, clock, gather(loop, std::move(tasks))) ==
        std::vector<int>{0, -1, 10});
  CHECK_FALSE(lock.locked());
  check_loop_is_empty(loop);
}
