// 07-semaphore_check.cpp: the check of exercise 07 (docs/exercises/07-semaphore.md), built
// against exercises/07-semaphore (the starter) and against its solution. First the lesson,
// with a real slow_server: 100 requests, at most 10 at a time, take about 10 delays. Then
// the rules, on a virtual clock (timers take no time): first come first served, the
// counts, and cancellation, which must neither leave a ghost in line nor lose a permit.
#include "semaphore.hpp"  // the exercise's (the starter's or the solution's: see CMakeLists.txt)

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/net.hpp"
#include "common/protocol.hpp"
#include "stage4_coroutines/client.hpp"
#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/extras/gather_tuple.hpp"
#include "stage4_coroutines/gather.hpp"
#include "stage4_coroutines/task.hpp"
#include "stage4_coroutines/wait_for.hpp"
#include "tests/exercises/check_support.hpp"
#include "tests/exercises/show_vectors.hpp"
#include "tests/exercises/stage4_virtual_loop.hpp"
#include "tests/stage4_coroutines/loop_probe.hpp"
#include "tests/stage4_coroutines/virtual_time.hpp"
#include "tests/support/server_thread.hpp"

using namespace std::chrono_literals;
using stage4::EventLoop;
using stage4::Task;

namespace {

// How many coroutines are past acquire() now, and the most there ever were.
struct InFlight {
  int now = 0;
  int most = 0;
  void enter() { most = std::max(most, ++now); }
  void leave() { --now; }
};

Task<void> limited_request(EventLoop& loop, exercises::Semaphore& limit,
                           const common::Address& address, int id, InFlight& in_flight,
                           std::vector<std::string>& responses) {
  co_await limit.acquire();
  in_flight.enter();
  std::exception_ptr failure;
  try {
    responses.at(static_cast<std::size_t>(id)) =
        co_await stage4::make_tcp_request(loop, address, id);
  } catch (...) {
    failure = std::current_exception();
  }
  in_flight.leave();
  limit.release();
  if (failure) std::rethrow_exception(failure);
}

// Who got past acquire(), and when (seconds on the virtual clock).
struct Entries {
  std::vector<int> ids;
  std::vector<double> at;
};

struct Fixture : exercise_check::VirtualLoop {
  Entries entries;

  // Acquires, notes it, holds the permit for `hold`, releases.
  Task<void> hold(exercises::Semaphore& limit, int id, stage4::Duration hold) {
    co_await limit.acquire();
    entries.ids.push_back(id);
    entries.at.push_back(seconds());
    co_await stage4::sleep(loop, hold);
    limit.release();
  }
  Task<void> hold_after(exercises::Semaphore& limit, int id, stage4::Duration hold,
                        stage4::Duration after) {
    co_await stage4::sleep(loop, after);
    co_await this->hold(limit, id, hold);
  }
  // hold(), given up (the task cancelled) if it has not finished within `timeout`.
  Task<void> hold_or_give_up(exercises::Semaphore& limit, int id, stage4::Duration hold,
                             stage4::Duration timeout) {
    try {
      co_await stage4::wait_for(loop, this->hold(limit, id, hold), timeout);
    } catch (const stage4::TimeoutError&) {
    }
  }
};

}  // namespace

TEST_CASE("100 requests, at most 10 at a time: about 10 delays, never more than 10 in flight" *
          test_support::timing) {
  constexpr double delay = 0.1;
  test_support::ServerThread server(exercise_check::server_options(delay));
  const common::Address address = common::resolve_address("127.0.0.1", server.port());
  EventLoop loop;
  exercises::Semaphore limit(loop, 10);
  InFlight in_flight;
  std::vector<std::string> responses(100);
  std::vector<Task<void>> requests;
  for (int id = 0; id < 100; ++id) {
    requests.push_back(limited_request(loop, limit, address, id, in_flight, responses));
  }
  const common::TimePoint start = common::Clock::now();
  loop.run_until_complete(stage4::gather(loop, std::move(requests)));
  const double wall = common::Seconds(common::Clock::now() - start).count();

  CHECK(in_flight.most == 10);
  CHECK(wall > 0.9 * 10 * delay);                       // 10 waves of 10, one after another...
  CHECK(wall < test_support::well_below(100 * delay));  // ...not 100 requests one by one
  for (int id = 0; id < 100; ++id) {
    CAPTURE(id);
    if (responses[static_cast<std::size_t>(id)] !=
        common::protocol::response_text(common::protocol::request_text(id))) {
      CHECK(responses[static_cast<std::size_t>(id)] ==
            common::protocol::response_text(common::protocol::request_text(id)));
      break;
    }
  }
  CHECK(limit.available() == 10);
  CHECK(limit.waiting() == 0);
}

TEST_CASE("first come, first served: 5 coroutines, 2 permits, each held 1 s") {
  Fixture f;
  exercises::Semaphore limit(f.loop, 2);
  stage4_test::run_until_complete(
      f.loop, f.clock,
      stage4::gather(f.loop, f.hold(limit, 0, 1s), f.hold(limit, 1, 1s), f.hold(limit, 2, 1s),
                     f.hold(limit, 3, 1s), f.hold(limit, 4, 1s)));
  CHECK(f.entries.ids == std::vector<int>{0, 1, 2, 3, 4});
  CHECK(f.entries.at == std::vector<double>{0, 0, 1, 1, 2});
  CHECK(f.seconds() == 3);
  CHECK(limit.available() == 2);
  f.check_loop_is_empty();
}

TEST_CASE("available() and waiting() say how many permits are free and who waits") {
  Fixture f;
  exercises::Semaphore limit(f.loop, 2);
  CHECK(limit.available() == 2);
  std::size_t available_meanwhile = 99, waiting_meanwhile = 99;
  auto look_at_half_time = [&]() -> Task<void> {
    co_await stage4::sleep(f.loop, 500ms);
    available_meanwhile = limit.available();
    waiting_meanwhile = limit.waiting();
  };
  stage4_test::run_until_complete(f.loop, f.clock,
                                  stage4::gather(f.loop, f.hold(limit, 0, 1s), f.hold(limit, 1, 1s),
                                                 f.hold(limit, 2, 1s), look_at_half_time()));
  CHECK(available_meanwhile == 0);
  CHECK(waiting_meanwhile == 1);
  CHECK(limit.available() == 2);
  CHECK(limit.waiting() == 0);
}

TEST_CASE("a coroutine cancelled while it waits leaves the line and takes no permit") {
  Fixture f;
  exercises::Semaphore limit(f.loop, 1);
  std::size_t waiting_after_cancel = 99;
  auto look_at = [&](stage4::Duration when) -> Task<void> {
    co_await stage4::sleep(f.loop, when);
    waiting_after_cancel = limit.waiting();
  };
  // 0 holds the permit for 1 s; 1 waits but gives up at 0.5 s; 2 comes at 0.7 s.
  stage4_test::run_until_complete(
      f.loop, f.clock,
      stage4::gather(f.loop, f.hold(limit, 0, 1s), f.hold_or_give_up(limit, 1, 1s, 500ms),
                     f.hold_after(limit, 2, 1s, 700ms), look_at(600ms)));
  CHECK(waiting_after_cancel == 0);
  CHECK(f.entries.ids == std::vector<int>{0, 2});
  CHECK(f.entries.at == std::vector<double>{0, 1});  // 2 got 0's permit when 0 released it
  CHECK(limit.available() == 1);
  f.check_loop_is_empty();
}

TEST_CASE("handed a permit, then cancelled before it could run: the permit is not lost") {
  Fixture f;
  exercises::Semaphore limit(f.loop, 1);
  // At 1 s, in one turn of the loop: 0 releases (the permit goes to 1, which will run at
  // the next turn), then 1's wait_for times out and destroys 1 before it ever runs.
  stage4_test::run_until_complete(
      f.loop, f.clock,
      stage4::gather(f.loop, f.hold(limit, 0, 1s), f.hold_or_give_up(limit, 1, 1s, 1s)));
  CHECK(f.entries.ids == std::vector<int>{0});
  CHECK(limit.available() == 1);
  CHECK(limit.waiting() == 0);
  // And the permit is really there: the next coroutine gets it at once.
  stage4_test::run_until_complete(f.loop, f.clock, f.hold(limit, 2, 1s));
  CHECK(f.entries.ids == std::vector<int>{0, 2});
  f.check_loop_is_empty();
}
