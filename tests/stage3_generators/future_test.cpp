// future_test.cpp: Future on its own: results, exceptions, done-callbacks and their order.
#include <doctest/doctest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "stage3_generators/future.hpp"
#include "tests/stage3_generators/players.hpp"

using stage3::Future;

TEST_CASE("set_result makes a future done, and result() gives the value") {
  Future<std::string> future("answer");
  CHECK_FALSE(future.done());
  CHECK_THROWS_AS(future.result(), std::logic_error);  // not there yet
  future.set_result("42");
  CHECK(future.done());
  CHECK_FALSE(future.failed());
  CHECK(future.result() == "42");
  CHECK(std::string(future.name()) == "answer");
}

TEST_CASE("a future is resolved once") {
  Future<int> future;
  future.set_result(1);
  CHECK_THROWS_AS(future.set_result(2), std::logic_error);
  CHECK_THROWS_AS(future.set_exception(std::make_exception_ptr(std::runtime_error("late"))),
                  std::logic_error);
  CHECK(future.result() == 1);
}

TEST_CASE("set_exception makes result() rethrow it") {
  Future<void> future;
  future.set_exception(std::make_exception_ptr(std::runtime_error("refused")));
  CHECK(future.done());
  CHECK(future.failed());
  CHECK_THROWS_WITH_AS(future.result(), "refused", std::runtime_error);
}

TEST_CASE("done-callbacks run once, in the order they were added, when the future is done") {
  Future<int> future;
  std::vector<std::string> calls;
  for (const char* name : {"first", "second", "third"}) {
    future.add_done_callback([&calls, name] { calls.push_back(name); });
  }
  CHECK(calls.empty());  // nothing runs before the future is done
  future.set_result(7);
  CHECK(calls == std::vector<std::string>{"first", "second", "third"});
}

TEST_CASE("a callback added after the future is done runs at once") {
  Future<void> future;
  future.set_result();
  bool ran = false;
  future.add_done_callback([&] { ran = true; });
  CHECK(ran);
}

TEST_CASE("a callback may add another callback, which runs at once, after it") {
  Future<void> future;
  std::vector<int> calls;
  future.add_done_callback([&] {
    calls.push_back(1);
    future.add_done_callback([&] { calls.push_back(2); });
  });
  future.add_done_callback([&] { calls.push_back(3); });
  future.set_result();
  CHECK(calls == std::vector<int>{1, 2, 3});
}

TEST_CASE("callbacks run on failure too, and are released once they have run") {
  players::Lifetimes lifetimes;
  Future<int> future;
  int calls = 0;
  {
    players::Counted counted(lifetimes);
    future.add_done_callback([&calls, counted] { ++calls; });
    future.add_done_callback([&calls, counted] { ++calls; });
  }
  CHECK(lifetimes.alive() == 2);  // held by the two callbacks
  future.set_exception(std::make_exception_ptr(std::runtime_error("reset")));
  CHECK(calls == 2);
  CHECK(lifetimes.alive() == 0);  // the future no longer holds them
  CHECK(lifetimes.destroyed == lifetimes.constructed);
}
