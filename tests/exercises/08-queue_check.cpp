// 08-queue_check.cpp: the check of exercise 08 (docs/exercises/08-queue.md), built against
// exercises/08-queue (the starter) and against its solution. The rules first, on stage 4's
// VirtualClock (timers take no time, so "when" is exact): producers and consumers, waiting
// when empty or full, first come first served, cancellation that loses no item. Then a
// work queue feeding 4 workers that send requests to a real slow_server.
#include "queue.hpp"  // the exercise's (the starter's or the solution's: see CMakeLists.txt)

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
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

struct Fixture : exercise_check::VirtualLoop {
  // Puts each item after `pause`, noting when each put was done.
  Task<void> produce(exercises::Queue<int>& queue, std::vector<int> items, stage4::Duration pause,
                     std::vector<double>& done_at) {
    for (int item : items) {
      co_await stage4::sleep(loop, pause);
      co_await queue.put(item);
      done_at.push_back(seconds());
    }
  }
  // Gets `count` items, one every `pause` at most, noting each item.
  Task<void> consume(exercises::Queue<int>& queue, int count, stage4::Duration pause,
                     std::vector<int>& got) {
    for (int i = 0; i < count; ++i) {
      co_await stage4::sleep(loop, pause);
      got.push_back(co_await queue.get());
    }
  }
  // One get, given up (the task cancelled) if nothing came within `timeout`.
  Task<void> get_or_give_up(exercises::Queue<int>& queue, stage4::Duration timeout,
                            std::vector<int>& got) {
    try {
      co_await stage4::wait_for(loop, consume(queue, 1, 0s, got), timeout);
    } catch (const stage4::TimeoutError&) {
    }
  }
};

// Producer p's items: p*1000, p*1000+1, ...
std::vector<int> items_of(int producer, int count) {
  std::vector<int> items;
  for (int i = 0; i < count; ++i) items.push_back(producer * 1000 + i);
  return items;
}

}  // namespace

TEST_CASE("3 producers, 2 slower consumers, 4 slots: every item once, in order, never over 4") {
  Fixture f;
  exercises::Queue<int> queue(f.loop, 4);
  std::vector<double> ignored;
  std::vector<int> got_a, got_b;
  std::size_t most_queued = 0;
  auto watch = [&]() -> Task<void> {  // a named lambda: it outlives the coroutine it makes
    for (int i = 0; i < 400; ++i) {
      co_await stage4::sleep(f.loop, 1ms);
      most_queued = std::max(most_queued, queue.size());
    }
  };
  stage4_test::run_until_complete(
      f.loop, f.clock,
      stage4::gather(f.loop, f.produce(queue, items_of(1, 50), 1ms, ignored),
                     f.produce(queue, items_of(2, 50), 1ms, ignored),
                     f.produce(queue, items_of(3, 50), 1ms, ignored),
                     f.consume(queue, 75, 2ms, got_a), f.consume(queue, 75, 2ms, got_b), watch()));
  std::vector<int> all = got_a;
  all.insert(all.end(), got_b.begin(), got_b.end());
  CHECK(all.size() == 150);
  for (int producer = 1; producer <= 3; ++producer) {
    CAPTURE(producer);
    std::vector<int> from_producer;  // in the order they came out of the queue
    for (int item : all) {
      if (item / 1000 == producer) from_producer.push_back(item);
    }
    std::sort(from_producer.begin(), from_producer.end());
    CHECK(from_producer == items_of(producer, 50));  // each item exactly once
    for (const std::vector<int>* got : {&got_a, &got_b}) {
      std::vector<int> seen;
      for (int item : *got) {
        if (item / 1000 == producer) seen.push_back(item);
      }
      CHECK(std::is_sorted(seen.begin(), seen.end()));  // first in, first out
    }
  }
  CHECK(most_queued == 4);  // the consumers are slower: the queue fills up, and no further
  CHECK(queue.size() == 0);
  f.check_loop_is_empty();
}

TEST_CASE("get waits while the queue is empty") {
  Fixture f;
  exercises::Queue<int> queue(f.loop, 2);
  std::vector<int> got;
  std::vector<double> put_at;
  double got_at = -1;
  auto consumer = [&]() -> Task<void> {
    got.push_back(co_await queue.get());
    got_at = f.seconds();
  };
  stage4_test::run_until_complete(
      f.loop, f.clock, stage4::gather(f.loop, consumer(), f.produce(queue, {7}, 1s, put_at)));
  CHECK(got == std::vector<int>{7});
  CHECK(got_at == 1);
}

TEST_CASE("put waits while the queue is full") {
  Fixture f;
  exercises::Queue<int> queue(f.loop, 2);
  std::vector<double> put_at;
  std::vector<int> got;
  stage4_test::run_until_complete(f.loop, f.clock,
                                  stage4::gather(f.loop, f.produce(queue, {1, 2, 3}, 0s, put_at),
                                                 f.consume(queue, 1, 1s, got)));
  CHECK(put_at == std::vector<double>{0, 0, 1});  // the third waited for the get at 1 s
  CHECK(got == std::vector<int>{1});
  CHECK(queue.size() == 2);
}

TEST_CASE("coroutines waiting to get are served in the order they came") {
  Fixture f;
  exercises::Queue<int> queue(f.loop, 5);
  std::vector<int> first, second, third;
  std::vector<double> put_at;
  stage4_test::run_until_complete(
      f.loop, f.clock,
      stage4::gather(f.loop, f.consume(queue, 1, 0s, first), f.consume(queue, 1, 0s, second),
                     f.consume(queue, 1, 0s, third), f.produce(queue, {1, 2, 3}, 1s, put_at)));
  CHECK(first == std::vector<int>{1});
  CHECK(second == std::vector<int>{2});
  CHECK(third == std::vector<int>{3});
}

TEST_CASE("a get given up while it waits leaves the line: the next item goes to the next get") {
  Fixture f;
  exercises::Queue<int> queue(f.loop, 2);
  std::vector<int> gave_up, got;
  std::vector<double> put_at;
  // The first get gives up at 0.5 s; 7 is put at 1 s; the second get comes at 2 s.
  stage4_test::run_until_complete(
      f.loop, f.clock,
      stage4::gather(f.loop, f.get_or_give_up(queue, 500ms, gave_up),
                     f.produce(queue, {7}, 1s, put_at), f.consume(queue, 1, 2s, got)));
  CHECK(gave_up.empty());
  CHECK(got == std::vector<int>{7});
  f.check_loop_is_empty();
}

TEST_CASE("handed an item, then cancelled before it could run: the item is not lost") {
  Fixture f;
  exercises::Queue<int> queue(f.loop, 2);
  std::vector<int> gave_up, got;
  std::vector<double> put_at;
  // At 1 s, in one turn of the loop: 7 is put (and handed to the waiting get, which will
  // run at the next turn), then that get's wait_for times out and destroys it.
  stage4_test::run_until_complete(f.loop, f.clock,
                                  stage4::gather(f.loop, f.produce(queue, {7}, 1s, put_at),
                                                 f.get_or_give_up(queue, 1s, gave_up)));
  CHECK(gave_up.empty());
  CHECK(queue.size() == 1);
  stage4_test::run_until_complete(f.loop, f.clock, f.consume(queue, 1, 0s, got));
  CHECK(got == std::vector<int>{7});
  f.check_loop_is_empty();
}

TEST_CASE("a work queue: 20 requests, 4 workers, about 5 delays" * test_support::timing) {
  constexpr double delay = 0.2;
  test_support::ServerThread server(exercise_check::server_options(delay));
  const common::Address address = common::resolve_address("127.0.0.1", server.port());
  EventLoop loop;
  exercises::Queue<int> work(loop, 2);
  std::vector<std::string> responses(20);
  auto producer = [&]() -> Task<void> {
    for (int id = 0; id < 20; ++id) co_await work.put(id);
    for (int worker = 0; worker < 4; ++worker) co_await work.put(-1);  // "no more work"
  };
  auto worker = [&]() -> Task<void> {
    for (int id = co_await work.get(); id >= 0; id = co_await work.get()) {
      responses[static_cast<std::size_t>(id)] =
          co_await stage4::make_tcp_request(loop, address, id);
    }
  };
  const common::TimePoint start = common::Clock::now();
  loop.run_until_complete(stage4::gather(loop, producer(), worker(), worker(), worker(), worker()));
  const double wall = common::Seconds(common::Clock::now() - start).count();
  for (int id = 0; id < 20; ++id) {
    CAPTURE(id);
    CHECK(responses[static_cast<std::size_t>(id)] ==
          common::protocol::response_text(common::protocol::request_text(id)));
  }
  CHECK(wall > 0.9 * 5 * delay);                       // 20 requests, 4 at a time: 5 waves
  CHECK(wall < test_support::well_below(20 * delay));  // not one worker, one by one
  CHECK(work.size() == 0);
}
