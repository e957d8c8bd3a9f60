// event_loop_test.cpp: what the callback loop of stages 1 and 2 promises
// (stage1_callbacks/event_loop.hpp), tested on socket pairs with every Selector backend.
// Stage 2's loop is a copy of stage 1's, so each case is a template over the loop's type
// (doctest's TEST_CASE_TEMPLATE_DEFINE, applied to the list below) and both loops run the
// same cases; ctest names a case with its loop at the end: "...<stage2::EventLoop>".
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "common/clock.hpp"
#include "common/fd.hpp"
#include "common/net.hpp"
#include "common/selector.hpp"
#include "stage1_callbacks/event_loop.hpp"
#include "stage2_state_machine/event_loop.hpp"
#include "tests/support/open_file_limit.hpp"
#include "tests/support/socket_pair.hpp"
#include "tests/support/timing.hpp"

using test_support::SocketPair;

namespace loop_contract {

using namespace std::chrono_literals;
using common::EVENT_READ;
using common::EVENT_WRITE;

// A new descriptor for the same socket as `fd`, numbered `at_least` or the lowest free
// number above it.
inline common::Fd duplicate(const common::Fd& fd, int at_least) {
  common::Fd copy(::fcntl(fd.get(), F_DUPFD_CLOEXEC, at_least));
  REQUIRE(copy);
  return copy;
}

// Registers a readable socket whose callback counts its calls and unregisters it, runs
// the loop, and returns the count.
template <typename EventLoop>
int calls_for_one_ready_socket(EventLoop& loop) {
  SocketPair pair;
  pair.make_a_readable();
  int calls = 0;
  loop.register_fd(pair.a.get(), EVENT_READ, [&] {
    ++calls;
    loop.unregister(pair.a.get());
  });
  loop.run();
  return calls;
}

// Runs `test(loop)` with a fresh loop on every Selector backend this system has.
template <typename EventLoop, typename Test>
void on_every_backend(Test test) {
  for (auto kind :
       {common::SelectorKind::epoll, common::SelectorKind::poll, common::SelectorKind::select}) {
    if (!common::selector_available(kind)) continue;
    CAPTURE(common::to_string(kind));
    EventLoop loop(kind);
    test(loop);
  }
}

// The loops under the contract.
using Loops = std::tuple<stage1::EventLoop, stage2::EventLoop>;

}  // namespace loop_contract

TYPE_TO_STRING_AS("stage1::EventLoop", stage1::EventLoop);
TYPE_TO_STRING_AS("stage2::EventLoop", stage2::EventLoop);

TEST_CASE_TEMPLATE_DEFINE(
    "a callback runs when its fd is ready, and run() returns once nothing is registered", EventLoop,
    ready_fd) {
  using namespace loop_contract;
  on_every_backend<EventLoop>(
      [](EventLoop& loop) { CHECK(calls_for_one_ready_socket(loop) == 1); });
}
TEST_CASE_TEMPLATE_APPLY(ready_fd, loop_contract::Loops);

TEST_CASE_TEMPLATE_DEFINE("modify changes both the events watched and the callback", EventLoop,
                          modify) {
  using namespace loop_contract;
  on_every_backend<EventLoop>([](EventLoop& loop) {
    SocketPair pair;
    std::vector<std::string> steps;
    loop.register_fd(pair.a.get(), EVENT_WRITE, [&] {
      steps.push_back("writable");
      loop.modify(pair.a.get(), EVENT_READ, [&] {
        steps.push_back("readable");
        loop.unregister(pair.a.get());
      });
      pair.make_a_readable();
    });
    loop.run();
    CHECK(steps == std::vector<std::string>{"writable", "readable"});
  });
}
TEST_CASE_TEMPLATE_APPLY(modify, loop_contract::Loops);

TEST_CASE_TEMPLATE_DEFINE(
    "an event for an fd closed earlier in the same batch reaches nobody, not even a new "
    "socket given the same number",
    EventLoop, closed_in_batch) {
  using namespace loop_contract;
  on_every_backend<EventLoop>([](EventLoop& loop) {
    SocketPair first, second, quiet;  // quiet: never readable, the newcomer is a copy of it
    first.make_a_readable();
    second.make_a_readable();  // both are in the first batch of ready events
    common::Fd newcomer;
    int calls = 0, newcomer_calls = 0, freed_number = -1;
    // Whichever runs first ends the other request and puts a newcomer on its fd number.
    auto callback = [&](SocketPair& self_pair, SocketPair& other_pair) {
      return [&, self = &self_pair, other = &other_pair] {
        ++calls;
        loop.unregister(self->a.get());
        freed_number = other->a.get();
        loop.unregister(freed_number);
        other->a.reset();
        newcomer = duplicate(quiet.a, freed_number);
        loop.register_fd(newcomer.get(), EVENT_READ, [&] { ++newcomer_calls; });
        loop.set_deadline(newcomer.get(), common::Clock::now() + 20ms,
                          [&] { loop.unregister(newcomer.get()); });
      };
    };
    loop.register_fd(first.a.get(), EVENT_READ, callback(first, second));
    loop.register_fd(second.a.get(), EVENT_READ, callback(second, first));
    loop.run();
    CHECK(calls == 1);
    CHECK(newcomer.get() == freed_number);  // the number was reused at once...
    CHECK(newcomer_calls == 0);             // ...and its stale event went nowhere
  });
}
TEST_CASE_TEMPLATE_APPLY(closed_in_batch, loop_contract::Loops);

TEST_CASE_TEMPLATE_DEFINE(
    "a callback that unregisters itself and grows the table keeps its captures until it "
    "returns",
    EventLoop, ready_and_closed) {
  using namespace loop_contract;
  on_every_backend<EventLoop>([](EventLoop& loop) {
    SocketPair pair, spare;
    pair.make_a_readable();
    auto capture = std::make_shared<int>(42);
    std::weak_ptr<int> watch = capture;
    common::Fd high;
    bool alive_after_unregister = false;
    loop.register_fd(pair.a.get(), EVENT_READ, [&, capture = std::move(capture)] {
      loop.unregister(pair.a.get());    // the loop's table no longer holds this callback,
      high = duplicate(spare.a, 1000);  // and the table grows (below FD_SETSIZE, for select),
      loop.register_fd(high.get(), EVENT_WRITE, [&] { loop.unregister(high.get()); });
      alive_after_unregister = !watch.expired() && *capture == 42;  // but we still run
    });
    loop.run();
    CHECK(alive_after_unregister);
    CHECK(watch.expired());  // destroyed once it returned
  });
}
TEST_CASE_TEMPLATE_APPLY(ready_and_closed, loop_contract::Loops);

TEST_CASE_TEMPLATE_DEFINE(
    "a deadline calls on_timeout once, not before its time, and run() waits for it" *
        test_support::timing,
    EventLoop, deadline) {
  using namespace loop_contract;
  on_every_backend<EventLoop>([](EventLoop& loop) {
    SocketPair pair;  // pair.a never becomes readable
    int ready_calls = 0, timeouts = 0;
    const auto start = common::Clock::now();
    loop.register_fd(pair.a.get(), EVENT_READ, [&] { ++ready_calls; });
    loop.set_deadline(pair.a.get(), start + 50ms, [&] {
      ++timeouts;
      loop.unregister(pair.a.get());
    });
    loop.run();
    const auto elapsed = common::Clock::now() - start;
    CHECK(ready_calls == 0);
    CHECK(timeouts == 1);
    CHECK(elapsed >= 50ms);
    CHECK(elapsed < 1s);  // not rounded up to a whole second, with room for a busy machine
  });
}
TEST_CASE_TEMPLATE_APPLY(deadline, loop_contract::Loops);

TEST_CASE_TEMPLATE_DEFINE("unregister forgets the fd's deadline", EventLoop, unregister_deadline) {
  using namespace loop_contract;
  on_every_backend<EventLoop>([](EventLoop& loop) {
    SocketPair waiting, ready, keeper;  // keeper keeps the loop running past waiting's deadline
    ready.make_a_readable();
    int timeouts = 0, keeper_timeouts = 0;
    const auto now = common::Clock::now();
    loop.register_fd(waiting.a.get(), EVENT_READ, [] {});
    loop.set_deadline(waiting.a.get(), now + 20ms, [&] {
      ++timeouts;
      loop.unregister(waiting.a.get());
    });
    loop.register_fd(keeper.a.get(), EVENT_READ, [] {});
    loop.set_deadline(keeper.a.get(), now + 60ms, [&] {
      ++keeper_timeouts;
      loop.unregister(keeper.a.get());
    });
    loop.register_fd(ready.a.get(), EVENT_READ, [&] {
      loop.unregister(ready.a.get());
      loop.unregister(waiting.a.get());
    });
    loop.run();
    CHECK(timeouts == 0);
    CHECK(keeper_timeouts == 1);
  });
}
TEST_CASE_TEMPLATE_APPLY(unregister_deadline, loop_contract::Loops);

TEST_CASE_TEMPLATE_DEFINE(
    "the select backend refuses an fd >= FD_SETSIZE, naming the limit, and the loop "
    "stays usable",
    EventLoop, select_limit) {
  using namespace loop_contract;
  test_support::RaisedOpenFileLimit open_files;  // a soft limit of 1,024 is common
  REQUIRE_MESSAGE(open_files.allows(FD_SETSIZE), open_files.why_not(FD_SETSIZE));
  EventLoop loop(common::SelectorKind::select);
  SocketPair pair;
  common::Fd high = duplicate(pair.a, FD_SETSIZE);
  CHECK_THROWS_WITH_AS(loop.register_fd(high.get(), EVENT_READ, [] {}),
                       doctest::Contains("FD_SETSIZE"), std::runtime_error);
  CHECK(calls_for_one_ready_socket(loop) == 1);
}
TEST_CASE_TEMPLATE_APPLY(select_limit, loop_contract::Loops);
