// generator_test.cpp: Generator on its own: next(), return values, exceptions, delegation
// (`yield from`) two levels deep, and who releases the frame.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "stage3_generators/generator.hpp"
#include "tests/stage3_generators/players.hpp"

using players::Counted;
using players::Lifetimes;
using stage3::Generator;
using stage3::yield_from;

namespace {

Generator<int, std::string> count_to(int n) {
  for (int i = 1; i <= n; ++i) co_yield i;
  co_return "counted to " + std::to_string(n);
}

// Everything the generator yields, then its return value.
template <typename Yield, typename Return>
std::vector<Yield> drain(Generator<Yield, Return>& generator) {
  std::vector<Yield> values;
  while (generator.next()) values.push_back(generator.yielded());
  return values;
}

Generator<int> fails_after(int n) {
  for (int i = 1; i <= n; ++i) co_yield i;
  throw std::runtime_error("boom");
}

// Three levels: outer delegates to middle, which delegates to inner.
Generator<int, std::string> inner(std::vector<std::string>& log) {
  log.push_back("inner starts");
  co_yield 3;
  co_return "inner's result";
}
Generator<int, std::string> middle(std::vector<std::string>& log) {
  co_yield 2;
  std::string from_inner = co_yield yield_from(inner(log));
  log.push_back("middle got " + from_inner);
  co_yield 4;
  co_return "middle's result";
}
Generator<int, std::string> outer(std::vector<std::string>& log) {
  co_yield 1;
  std::string from_middle = co_yield yield_from(middle(log));
  log.push_back("outer got " + from_middle);
  co_yield 5;
  co_return "outer's result";
}

}  // namespace

TEST_CASE("next() runs to each co_yield, then result() gives the co_return value") {
  auto counting = count_to(3);
  CHECK_FALSE(counting.done());
  CHECK(drain(counting) == std::vector<int>{1, 2, 3});
  CHECK(counting.done());
  CHECK(counting.result() == "counted to 3");
  CHECK_THROWS_AS(counting.next(), std::logic_error);  // a finished generator stays finished
}

TEST_CASE("a generator is lazy: its body runs at the first next(), not when it is called") {
  bool ran = false;
  auto body = [](bool& flag) -> Generator<int> {
    flag = true;
    co_yield 1;
  };
  auto generator = body(ran);
  CHECK_FALSE(ran);
  CHECK(generator.next());
  CHECK(ran);
}

TEST_CASE("result() before the generator has returned is an error") {
  auto counting = count_to(1);
  CHECK_THROWS_AS(counting.result(), std::logic_error);
  CHECK(counting.next());
  CHECK_THROWS_AS(counting.result(), std::logic_error);
}

TEST_CASE("an exception thrown inside comes out of next(), and again out of result()") {
  auto failing = fails_after(1);
  CHECK(failing.next());
  CHECK(failing.yielded() == 1);
  CHECK_THROWS_WITH_AS(failing.next(), "boom", std::runtime_error);
  CHECK(failing.done());
  CHECK_THROWS_WITH_AS(failing.result(), "boom", std::runtime_error);
}

TEST_CASE("a moved Generator keeps driving the same frame") {
  auto first = count_to(2);
  CHECK(first.next());
  Generator<int, std::string> second = std::move(first);
  CHECK(second.next());
  CHECK(second.yielded() == 2);
  first = std::move(second);  // and back, by assignment
  CHECK_FALSE(first.next());
  CHECK(first.result() == "counted to 2");
}

TEST_CASE("delegation two levels deep: yields pass through, return values come back") {
  std::vector<std::string> log;
  auto generator = outer(log);
  CHECK(drain(generator) == std::vector<int>{1, 2, 3, 4, 5});
  CHECK(generator.result() == "outer's result");
  CHECK(log == std::vector<std::string>{"inner starts", "middle got inner's result",
                                        "outer got middle's result"});
}

TEST_CASE("delegating to a sub-generator that never yields returns its result at once") {
  auto immediate = []() -> Generator<int, int> { co_return 7; };
  auto caller = [&]() -> Generator<int, int> {
    int seven = co_yield yield_from(immediate());
    co_yield seven;
    co_return seven * 6;
  };
  auto generator = caller();
  CHECK(drain(generator) == std::vector<int>{7});
  CHECK(generator.result() == 42);
}

TEST_CASE("delegating to an empty or finished generator is an error, not a resumed ruin") {
  auto immediate = []() -> Generator<int, int> { co_return 7; };
  auto finished = immediate();
  CHECK_FALSE(finished.next());  // it has returned: nothing left to run
  auto caller = [](Generator<int, int>& sub) -> Generator<int, int> {
    co_return co_yield yield_from(std::move(sub));
  };
  auto again = caller(finished);
  CHECK_THROWS_WITH_AS(again.next(), "yield_from: nothing to run", std::logic_error);
  Generator<int, int> empty;
  auto from_empty = caller(empty);
  CHECK_THROWS_AS(from_empty.next(), std::logic_error);
}

TEST_CASE("an exception propagates up the delegation stack to where it is caught") {
  auto thrower = []() -> Generator<int, int> {
    co_yield 1;
    throw std::runtime_error("from the bottom");
  };
  auto passes_on = [&]() -> Generator<int, int> {  // does not catch: unwinds
    int never = co_yield yield_from(thrower());
    co_return never;
  };
  auto catches = [&]() -> Generator<int, std::string> {
    try {
      co_yield yield_from(passes_on());
    } catch (const std::runtime_error& error) {
      co_return std::string("caught: ") + error.what();
    }
    co_return "not reached";
  };
  auto generator = catches();
  CHECK(drain(generator) == std::vector<int>{1});
  CHECK(generator.result() == "caught: from the bottom");

  // Caught nowhere: it comes out of the outermost next().
  auto uncaught = passes_on();
  CHECK(uncaught.next());
  CHECK_THROWS_WITH_AS(uncaught.next(), "from the bottom", std::runtime_error);
}

TEST_CASE("a generator's frame releases what it holds exactly once, whenever it dies") {
  Lifetimes lifetimes;
  // The parameter is copied into the frame; `local` lives in it while suspended.
  auto holder = [](Counted parameter) -> Generator<int> {
    Counted local = parameter;
    co_yield 1;
    co_yield 2;
  };

  SUBCASE("never started") {
    { auto generator = holder(Counted(lifetimes)); }
  }
  SUBCASE("destroyed while suspended at a co_yield") {
    auto generator = holder(Counted(lifetimes));
    CHECK(generator.next());
    CHECK(lifetimes.alive() == 2);  // the parameter's copy and the local, in the frame
    generator = {};                 // an empty Generator: the frame dies now
    CHECK(lifetimes.alive() == 0);
  }
  SUBCASE("finished") {
    {
      auto generator = holder(Counted(lifetimes));
      while (generator.next()) {
      }
    }
  }
  SUBCASE("destroyed while suspended two levels deep in delegation") {
    auto deepest = [](Counted parameter) -> Generator<int> {
      Counted local = parameter;
      co_yield 3;
    };
    auto in_between = [&](Counted parameter) -> Generator<int> {
      Counted local = parameter;
      co_yield yield_from(deepest(local));
    };
    auto top = [&](Counted parameter) -> Generator<int> {
      Counted local = parameter;
      co_yield yield_from(in_between(local));
    };
    auto generator = top(Counted(lifetimes));
    CHECK(generator.next());
    CHECK(generator.yielded() == 3);
    CHECK(lifetimes.alive() > 3);  // each level holds its own
  }
  CHECK(lifetimes.constructed > 0);
  CHECK(lifetimes.destroyed == lifetimes.constructed);
}
