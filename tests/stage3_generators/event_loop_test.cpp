// event_loop_test.cpp: EventLoop on its own: the ready queue, timers on a clock the test
// drives (no real waiting), I/O callbacks on a socket pair, and what the loop refuses.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/fd.hpp"
#include "common/selector.hpp"
#include "stage3_generators/event_loop.hpp"
#include "tests/stage3_generators/players.hpp"
#include "tests/support/socket_pair.hpp"
#include "tests/support/timing.hpp"

using test_support::SocketPair;

using players::ManualClock;
using stage3::EventLoop;
using stage3::FuturePtr;
using stage3::Generator;

namespace {

const common::SelectorKind every_selector[] = {
    common::SelectorKind::epoll, common::SelectorKind::poll, common::SelectorKind::select};

}  // namespace

TEST_CASE("tasks step in the order they became ready, and one woken in a turn steps in the next") {
  EventLoop loop;
  std::vector<std::string> steps;
  auto gate = std::make_shared<stage3::Future<void>>("gate");
  auto opens = [&]() -> Generator<FuturePtr> {
    steps.push_back("a opens the gate");
    gate->set_result();
    co_return;
  };
  auto passes = [&]() -> Generator<FuturePtr> {
    steps.push_back("b");
    co_return;
  };
  auto waits = [&]() -> Generator<FuturePtr> {
    co_yield gate;  // already done when c yields it: c steps again in the next turn
    steps.push_back("c went through");
  };
  loop.create_task(opens());
  loop.create_task(passes());
  loop.create_task(waits());
  loop.run_once();
  CHECK(steps == std::vector<std::string>{"a opens the gate", "b"});
  CHECK(loop.has_ready());
  loop.run_once();
  CHECK(steps.back() == "c went through");
  CHECK(loop.task_count() == 0);
}

TEST_CASE("timers fire in the order of their deadlines, equal deadlines in the order set") {
  ManualClock clock;
  EventLoop loop(common::default_selector_kind(), clock.function());
  std::vector<std::string> fired;
  loop.call_later(2.0, [&] { fired.push_back("2 s"); });
  loop.call_later(1.0, [&] { fired.push_back("1 s, first"); });
  loop.call_later(1.0, [&] { fired.push_back("1 s, second"); });
  loop.call_later(0.5, [&] { fired.push_back("0.5 s"); });

  REQUIRE(loop.next_timer());
  clock.now += std::chrono::milliseconds(999);
  loop.run_once();  // due: only 0.5 s (the loop does not block: a timer is due)
  CHECK(fired == std::vector<std::string>{"0.5 s"});
  clock.now += std::chrono::milliseconds(1);
  loop.run_once();
  CHECK(fired == std::vector<std::string>{"0.5 s", "1 s, first", "1 s, second"});
  clock.now += std::chrono::seconds(5);
  loop.run_once();
  CHECK(fired.back() == "2 s");
  CHECK_FALSE(loop.next_timer());
}

TEST_CASE("sleep is a future like any other: tasks wake up at their deadlines, in order" *
          test_support::timing) {
  ManualClock clock;
  const common::TimePoint start = clock.now;
  EventLoop loop(common::default_selector_kind(), clock.function());
  std::vector<std::pair<std::string, double>> woke;  // who, when (seconds on the test's clock)
  auto sleeper = [&](std::string name, double first, double second) -> Generator<FuturePtr> {
    co_yield stage3::sleep(loop, first);
    woke.emplace_back(name + " once", clock.seconds_since(start));
    co_yield stage3::sleep(loop, second);
    woke.emplace_back(name + " twice", clock.seconds_since(start));
  };
  std::vector<std::shared_ptr<stage3::Task<void>>> tasks{loop.create_task(sleeper("a", 3, 3)),
                                                         loop.create_task(sleeper("b", 1, 4)),
                                                         loop.create_task(sleeper("c", 2, 0.5))};

  const auto real_start = common::Clock::now();
  players::run_with_clock(loop, clock, stage3::gather(tasks));
  // The test's clock jumps: the 6 s of sleeps are not waited for in real time.
  CHECK(common::Seconds(common::Clock::now() - real_start).count() < test_support::well_below(6));

  std::vector<std::pair<std::string, double>> expected{{"b once", 1},    {"c once", 2},
                                                       {"c twice", 2.5}, {"a once", 3},
                                                       {"b twice", 5},   {"a twice", 6}};
  CHECK(woke == expected);
}

TEST_CASE("with a real clock the loop blocks in select until the next timer, not spinning" *
          test_support::timing) {
  EventLoop loop;
  auto napping = loop.create_task(
      [](EventLoop& loop) -> Generator<FuturePtr> { co_yield stage3::sleep(loop, 0.05); }(loop));
  const auto start = common::Clock::now();
  int turns = 0;
  while (!napping->done()) {
    loop.run_once();
    ++turns;
  }
  CHECK(common::Seconds(common::Clock::now() - start).count() >= 0.05);
  CHECK(turns <= 4);  // first step, the wait (maybe two if select woke early), last step
}

TEST_CASE("call_when_ready calls back once, when the fd is ready, with every selector") {
  for (auto kind : every_selector) {
    if (!common::selector_available(kind)) continue;
    CAPTURE(common::to_string(kind));
    EventLoop loop(kind);
    SocketPair pair;
    int calls = 0;
    loop.call_when_ready(pair.a.get(), common::EVENT_READ, [&] { ++calls; });
    loop.call_later(0, [] {});  // a timer due now: run_once only looks at the socket
    loop.run_once();
    CHECK(calls == 0);  // nothing written yet
    REQUIRE(::write(pair.b.get(), "x", 1) == 1);
    loop.run_once();
    CHECK(calls == 1);
    // One shot: the fd is forgotten, so it can be waited for again.
    loop.call_when_ready(pair.a.get(), common::EVENT_READ, [&] { ++calls; });
    loop.run_once();
    CHECK(calls == 2);
  }
}

TEST_CASE("cancel_when_ready forgets the fd: its callback never runs") {
  EventLoop loop;
  SocketPair pair;
  bool called = false;
  loop.call_when_ready(pair.a.get(), common::EVENT_WRITE, [&] { called = true; });
  loop.cancel_when_ready(pair.a.get());
  loop.cancel_when_ready(pair.a.get());  // twice is harmless
  loop.call_later(0, [] {});
  loop.run_once();
  CHECK_FALSE(called);
  // The same fd can be registered again (it was unregistered from the selector).
  loop.call_when_ready(pair.a.get(), common::EVENT_WRITE, [&] { called = true; });
  loop.run_once();
  CHECK(called);
}

TEST_CASE("waiting for a future nothing can resolve is an error, not a hang") {
  EventLoop loop;
  auto never = std::make_shared<stage3::Future<void>>("never");
  CHECK_THROWS_AS(loop.run_until_complete(never), std::logic_error);
}

TEST_CASE("run_once from inside a task's step is refused") {
  EventLoop loop;
  bool refused = false;
  auto nested = [&]() -> Generator<FuturePtr> {
    try {
      loop.run_once();
    } catch (const std::logic_error&) {
      refused = true;
    }
    co_return;
  };
  loop.run_until_complete(loop.create_task(nested()));
  CHECK(refused);
}

TEST_CASE("a timer set while timers fire waits for the next turn") {
  ManualClock clock;
  EventLoop loop(common::default_selector_kind(), clock.function());
  int fired = 0;
  std::function<void()> again = [&] {
    ++fired;
    loop.call_later(0, again);  // due at once, yet not in this same turn
  };
  loop.call_later(0, again);
  loop.run_once();
  CHECK(fired == 1);
  loop.run_once();
  CHECK(fired == 2);
}

TEST_CASE("100,000 tasks sleeping at once all finish, and the loop lets go of each") {
  ManualClock clock;
  EventLoop loop(common::default_selector_kind(), clock.function());
  int finished = 0;
  auto worker = [](EventLoop& loop, int& finished, double seconds) -> Generator<FuturePtr> {
    co_yield stage3::sleep(loop, seconds);
    ++finished;
  };
  for (int i = 0; i < 100'000; ++i) loop.create_task(worker(loop, finished, 0.01 * (i % 7)));
  CHECK(loop.task_count() == 100'000);
  while (loop.task_count() > 0) {
    if (!loop.has_ready() && loop.next_timer()) clock.now = *loop.next_timer();
    loop.run_once();
  }
  CHECK(finished == 100'000);
}
