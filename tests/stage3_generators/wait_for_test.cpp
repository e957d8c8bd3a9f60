// wait_for_test.cpp: wait_for on its own: the task's result or exception when it ends in
// time; when the timer fires first, the clients' timeout wording and the task cancelled
// at once (its frame destroyed, what the frame held released, its socket unregistered).
#include <doctest/doctest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "common/client_errors.hpp"
#include "common/net.hpp"
#include "stage3_generators/extras/toolkit.hpp"
#include "stage3_generators/socket_ops.hpp"
#include "stage3_generators/wait_for.hpp"
#include "tests/stage3_generators/players.hpp"
#include "tests/support/timing.hpp"

using players::Counted;
using players::Lifetimes;
using players::ManualClock;
using stage3::EventLoop;
using stage3::FuturePtr;
using stage3::Generator;

namespace {

// Sleeps `seconds`, holding `counted` in its frame, then returns 42 (or throws).
Generator<FuturePtr, int> slow(EventLoop& loop, double seconds, Counted counted, bool& finished,
                               bool fail = false) {
  Counted held = counted;
  co_yield stage3::sleep(loop, seconds);
  finished = true;
  if (fail) throw std::runtime_error("refused");
  co_return 42;
}

}  // namespace

TEST_CASE("wait_for: a task that ends in time gives its result, and the timer then changes nothing") {
  ManualClock clock;
  EventLoop loop(common::default_selector_kind(), clock.function());
  Lifetimes lifetimes;
  bool finished = false;
  auto task = loop.create_task(slow(loop, 1, Counted(lifetimes), finished));
  auto outcome = stage3::wait_for(loop, task, 2);
  players::run_with_clock(loop, clock, outcome);
  CHECK(outcome->result() == 42);
  CHECK(clock.seconds_since(common::TimePoint{} + std::chrono::hours(1)) == doctest::Approx(1));
  while (loop.next_timer()) {  // the 2 s timer fires, unheard
    clock.now = *loop.next_timer();
    loop.run_once();
  }
  CHECK(outcome->result() == 42);
  CHECK_FALSE(task->failed());
}

TEST_CASE("wait_for: the exception a task ends with passes through") {
  ManualClock clock;
  EventLoop loop(common::default_selector_kind(), clock.function());
  Lifetimes lifetimes;
  bool finished = false;
  auto outcome = stage3::wait_for(loop, slow(loop, 1, Counted(lifetimes), finished, true), 2);
  players::run_with_clock(loop, clock, outcome);
  CHECK_THROWS_WITH_AS(outcome->result(), "refused", std::runtime_error);
}

TEST_CASE("wait_for: when the timer fires first, it times out and the task's frame dies at once") {
  ManualClock clock;
  const common::TimePoint start = clock.now;
  EventLoop loop(common::default_selector_kind(), clock.function());
  Lifetimes lifetimes;
  bool finished = false;
  auto task = loop.create_task(slow(loop, 10, Counted(lifetimes), finished));
  auto outcome = stage3::wait_for(loop, task, 0.5);
  players::run_with_clock(loop, clock, outcome);
  CHECK(clock.seconds_since(start) == doctest::Approx(0.5));
  CHECK_THROWS_WITH_AS(outcome->result(), common::client_errors::timed_out(0.5).c_str(),
                       stage3::TimeoutError);
  CHECK(lifetimes.alive() == 0);  // cancelled: the frame, and what it held, are gone
  CHECK(task->failed());
  CHECK(loop.task_count() == 0);  // the loop let go of it
  // The 10 s sleep it waited for still fires later: nothing of the task runs again.
  while (loop.next_timer()) {
    clock.now = *loop.next_timer();
    loop.run_once();
  }
  CHECK_FALSE(finished);
}

TEST_CASE("wait_for: a request cancelled by its timeout closes its socket, unwatched first" *
          test_support::timing) {
  // A server that accepts (its backlog does) and never answers.
  common::Fd listener = common::listen_tcp("127.0.0.1", 0, 8);
  const common::Address address =
      common::resolve_address("127.0.0.1", common::local_port(listener.get()));
  // poll reports a closed fd still watched (POLLNVAL) at once, so a leftover shows.
  EventLoop loop(common::SelectorKind::poll);
  auto request = [](EventLoop& loop,
                    const common::Address& address) -> Generator<FuturePtr, std::string> {
    stage3::Socket socket(loop);
    auto connected = stage3::sock_connect(loop, socket.get(), address);
    co_yield connected;
    connected->result();
    co_return co_yield stage3::yield_from(stage3::sock_read_line(loop, socket.get()));
  };
  auto outcome = stage3::wait_for(loop, request(loop, address), 0.05);
  CHECK_THROWS_AS(loop.run_until_complete(outcome), stage3::TimeoutError);
  // Nothing is left to wait for: no task, no timer, no watched socket.
  CHECK(loop.task_count() == 0);
  CHECK_THROWS_AS(loop.run_once(), std::logic_error);
}
