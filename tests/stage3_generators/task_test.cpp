// task_test.cpp: Task on its own: stepping a generator from future to future, holding its
// result or exception, waiting for other tasks, and releasing its frame.
#include <doctest/doctest.h>

#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "stage3_generators/event_loop.hpp"
#include "stage3_generators/extras/trace.hpp"
#include "stage3_generators/future.hpp"
#include "stage3_generators/generator.hpp"
#include "stage3_generators/task.hpp"
#include "tests/stage3_generators/players.hpp"

using players::Counted;
using players::Lifetimes;
using stage3::EventLoop;
using stage3::Future;
using stage3::FuturePtr;
using stage3::Generator;

namespace {

// Waits for two futures the test resolves by hand, noting how far it got.
Generator<FuturePtr, int> two_waits(std::shared_ptr<Future<int>> first,
                                    std::shared_ptr<Future<int>> second,
                                    std::vector<std::string>& log) {
  log.push_back("started");
  co_yield first;
  log.push_back("first is " + std::to_string(first->result()));
  co_yield second;
  log.push_back("second is " + std::to_string(second->result()));
  co_return first->result() + second->result();
}

}  // namespace

TEST_CASE("a task steps its generator once per future, each step when that future is done") {
  EventLoop loop;
  auto first = std::make_shared<Future<int>>();
  auto second = std::make_shared<Future<int>>();
  std::vector<std::string> log;
  auto task = loop.create_task(two_waits(first, second, log));
  CHECK(log.empty());  // create_task only schedules the first step

  loop.run_once();
  CHECK(log == std::vector<std::string>{"started"});  // stopped at the first yield

  first->set_result(40);
  CHECK(log.size() == 1);  // the future's callback schedules the step; it does not run it
  CHECK(loop.has_ready());
  loop.run_once();
  CHECK(log.back() == "first is 40");
  CHECK_FALSE(task->done());

  second->set_result(2);
  CHECK(loop.run_until_complete(task) == 42);
  CHECK(log.back() == "second is 2");
  CHECK(task->done());
  CHECK(loop.task_count() == 0);  // the loop let go of the finished task
}

TEST_CASE("an exception set on a future is rethrown inside the generator, where it waited") {
  EventLoop loop;
  auto connected = std::make_shared<Future<void>>("connect");
  auto task = loop.create_task(
      [](std::shared_ptr<Future<void>> connected) -> Generator<FuturePtr, std::string> {
        try {
          co_yield connected;
          connected->result();
        } catch (const std::runtime_error& error) {
          co_return std::string("handled: ") + error.what();
        }
        co_return "connected";
      }(connected));
  loop.run_once();
  connected->set_exception(std::make_exception_ptr(std::runtime_error("Connection refused")));
  CHECK(loop.run_until_complete(task) == "handled: Connection refused");
}

TEST_CASE("an exception the generator lets escape is held by the task") {
  EventLoop loop;
  auto task = loop.create_task([](EventLoop& loop) -> Generator<FuturePtr> {
    co_yield stage3::sleep(loop, 0);
    throw std::runtime_error("lost");
  }(loop));
  CHECK_THROWS_WITH_AS(loop.run_until_complete(task), "lost", std::runtime_error);
  CHECK(task->done());
  CHECK(task->failed());
}

TEST_CASE("a generator that yields no future fails its task") {
  EventLoop loop;
  auto task = loop.create_task([]() -> Generator<FuturePtr> { co_yield nullptr; }());
  CHECK_THROWS_AS(loop.run_until_complete(task), std::logic_error);
}

TEST_CASE("a task is a future: a generator can wait for another task") {
  EventLoop loop;
  auto child = loop.create_task([](EventLoop& loop) -> Generator<FuturePtr, int> {
    co_yield stage3::sleep(loop, 0);
    co_return 6;
  }(loop));
  auto parent =
      loop.create_task([](std::shared_ptr<stage3::Task<int>> child) -> Generator<FuturePtr, int> {
        co_yield child;
        co_return child->result() * 7;
      }(child));
  CHECK(loop.run_until_complete(parent) == 42);
}

TEST_CASE("delegation inside a task: the sub-generator's futures wake the same task") {
  EventLoop loop;
  auto fetch = [](EventLoop& loop, int value) -> Generator<FuturePtr, int> {
    co_yield stage3::sleep(loop, 0);
    co_return value;
  };
  auto sum = [&](EventLoop& loop) -> Generator<FuturePtr, int> {
    int a = co_yield stage3::yield_from(fetch(loop, 40));
    int b = co_yield stage3::yield_from(fetch(loop, 2));
    co_return a + b;
  };
  CHECK(loop.run_until_complete(loop.create_task(sum(loop))) == 42);
}

TEST_CASE("gather is done when every task is, or failed at once with the first exception") {
  EventLoop loop;
  auto after = [](EventLoop& loop, int turns, bool fail) -> Generator<FuturePtr> {
    for (int i = 0; i < turns; ++i) co_yield stage3::sleep(loop, 0);
    if (fail) throw std::runtime_error("failed after " + std::to_string(turns));
  };
  SUBCASE("all succeed") {
    std::vector<std::shared_ptr<stage3::Task<void>>> tasks;
    for (int turns : {3, 1, 2}) tasks.push_back(loop.create_task(after(loop, turns, false)));
    loop.run_until_complete(stage3::gather(tasks));
    for (const auto& task : tasks) CHECK(task->done());
  }
  SUBCASE("one fails") {
    auto slow = loop.create_task(after(loop, 50, false));
    auto failing = loop.create_task(after(loop, 1, true));
    CHECK_THROWS_WITH(loop.run_until_complete(stage3::gather(std::vector{slow, failing})),
                      "failed after 1");
    CHECK_FALSE(slow->done());  // gather did not wait for it
  }
  SUBCASE("no task at all") {
    loop.run_until_complete(stage3::gather(std::vector<std::shared_ptr<stage3::Task<void>>>{}));
  }
}

TEST_CASE("tasks are named as asyncio names them, unless given a name") {
  EventLoop loop;
  auto nothing = []() -> Generator<FuturePtr> { co_return; };
  auto unnamed = loop.create_task(nothing());
  auto named = loop.create_task(nothing(), "request 7");
  CHECK(unnamed->name() == "Task-1");
  CHECK(named->name() == "request 7");
  loop.run_until_complete(stage3::gather(std::vector{unnamed, named}));
}

TEST_CASE("--trace-loop: every step, yield and resolved future is one line") {
  std::ostringstream trace;
  stage3::extras::TraceWriter writer(trace);
  EventLoop loop;
  loop.trace_to(&writer);
  auto task = loop.create_task(
      [](EventLoop& loop) -> Generator<FuturePtr> { co_yield stage3::sleep(loop, 0); }(loop),
      "sleeper");
  loop.run_until_complete(task);
  const std::string text = trace.str();
  for (const char* line : {"step     sleeper", "yield    sleeper waits for sleep",
                           "resolved sleep -> sleeper is ready", "return   sleeper is done"}) {
    CAPTURE(line);
    CHECK(text.find(line) != std::string::npos);
  }
}

TEST_CASE("a task's frame is released exactly once: finished, failed, or never finished") {
  Lifetimes lifetimes;
  auto holds = [](EventLoop& loop, Counted counted, bool fail) -> Generator<FuturePtr> {
    Counted local = counted;
    co_yield stage3::sleep(loop, 0);
    if (fail) throw std::runtime_error("failed");
  };
  SUBCASE("finished, nobody else holding the task") {
    EventLoop loop;
    loop.create_task(holds(loop, Counted(lifetimes), false));
    while (loop.task_count() > 0) loop.run_once();
    CHECK(lifetimes.alive() == 0);  // freed when it finished, not when the loop dies
  }
  SUBCASE("failed, its handle kept") {
    EventLoop loop;
    auto task = loop.create_task(holds(loop, Counted(lifetimes), true));
    CHECK_THROWS(loop.run_until_complete(task));
  }
  SUBCASE("never started, then the loop is destroyed") {
    EventLoop loop;
    loop.create_task(holds(loop, Counted(lifetimes), false));
  }
  SUBCASE("suspended, then the loop is destroyed while a handle outlives it") {
    std::shared_ptr<stage3::Task<void>> outliving;
    {
      EventLoop loop;
      outliving = loop.create_task(holds(loop, Counted(lifetimes), false));
      loop.run_once();
      CHECK(lifetimes.alive() == 2);
    }
    CHECK(lifetimes.alive() == 0);  // the loop cancelled the task as it died
    CHECK(outliving->failed());
  }
  CHECK(lifetimes.constructed > 0);
  CHECK(lifetimes.destroyed == lifetimes.constructed);
}
