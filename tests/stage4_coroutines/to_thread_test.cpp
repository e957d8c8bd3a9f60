// to_thread(): f on a thread of its own, its value or exception back in the coroutine, the
// loop asleep in select() meanwhile, and a cancelled call that stops and joins its thread.
// Real time and real threads: the tsan preset runs this file (CMakePresets.json).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <stop_token>
#include <thread>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/extras/to_thread.hpp"
#include "stage4_coroutines/gather.hpp"
#include "stage4_coroutines/task.hpp"
#include "stage4_coroutines/wait_for.hpp"
#include "tests/stage4_coroutines/loop_probe.hpp"
#include "tests/support/timing.hpp"

using namespace stage4;
using namespace std::chrono_literals;

namespace {

const common::SelectorKind every_selector[] = {
    common::SelectorKind::epoll, common::SelectorKind::poll, common::SelectorKind::select};

// Counts the loop's waits in select() (a turn that found something ready does not wait).
struct SelectCount final : LoopObserver {
  void selected(std::span<const common::SelectorEvent>, Duration, TimePoint) noexcept override {
    ++waits;
  }
  int waits = 0;
};

Task<void> tick(EventLoop& loop, int& ticks) {
  for (int i = 0; i < 4; ++i) {
    co_await sleep(loop, 20ms);
    ++ticks;
  }
}

// [docs:toolkit-to-thread-example]
// Blocks a thread 400 ms (CPU work would too); the loop runs the ticker meanwhile.
Task<void> block_off_the_loop(EventLoop& loop, const int& ticks, int& ticks_by_then) {
  co_await to_thread(loop, [] { std::this_thread::sleep_for(400ms); });
  ticks_by_then = ticks;  // back on the loop's thread: reading `ticks` is safe here
}
// [/docs]

}  // namespace

TEST_CASE("to_thread: f runs on another thread, and its value or exception comes back") {
  for (auto kind : every_selector) {
    CAPTURE(common::to_string(kind));
    EventLoop loop({.selector = kind});
    CHECK(loop.run_until_complete(to_thread(loop, [] { return 6 * 7; })) == 42);
    CHECK(*loop.run_until_complete(to_thread(loop, [] { return std::make_unique<int>(7); })) == 7);
    std::thread::id ran_on;
    loop.run_until_complete(to_thread(loop, [&ran_on] { ran_on = std::this_thread::get_id(); }));
    CHECK(ran_on != std::thread::id());
    CHECK(ran_on != std::this_thread::get_id());
    CHECK_THROWS_WITH_AS(
        loop.run_until_complete(
            to_thread(loop, []() -> int { throw std::runtime_error("failed on its thread"); })),
        "failed on its thread", std::runtime_error);
    CHECK(LoopProbe::fd_count(loop) == 0);
  }
}

TEST_CASE("to_thread: the loop runs other tasks meanwhile, asleep in select(), not polling" *
          test_support::timing) {
  for (auto kind : every_selector) {
    CAPTURE(common::to_string(kind));
    SelectCount count;
    EventLoop loop({.selector = kind, .observer = &count});
    int ticks = 0, ticks_by_then = -1;
    std::vector<Task<void>> both;
    both.push_back(tick(loop, ticks));
    both.push_back(block_off_the_loop(loop, ticks, ticks_by_then));
    loop.run_until_complete(gather(loop, std::move(both)));
    CHECK(ticks_by_then == 4);  // the ticker's 80 ms ran while the thread blocked for 400 ms
    // A wait per tick and one for the thread's end: a loop that polled every millisecond
    // for the result would have waited hundreds of times.
    CHECK(count.waits <= 10);
    CHECK(LoopProbe::fd_count(loop) == 0);
  }
}

TEST_CASE("to_thread: cancelled, it asks f to stop (its stop_token) and waits for it to return" *
          test_support::timing) {
  EventLoop loop;
  std::atomic<bool> saw_stop{false};
  // Runs until asked to stop, or 5 s (what a call that ignored its token would take).
  auto until_stopped = [&saw_stop](std::stop_token stop) {
    const auto give_up = std::chrono::steady_clock::now() + 5s;
    while (!stop.stop_requested() && std::chrono::steady_clock::now() < give_up)
      std::this_thread::sleep_for(1ms);
    saw_stop = stop.stop_requested();
    return 1;
  };
  const auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(loop.run_until_complete(wait_for(loop, to_thread(loop, until_stopped), 20ms)),
                  TimeoutError);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  CHECK(saw_stop);  // (read after the join in the frame's destructor: no race)
  CHECK(took.count() < test_support::well_below(5));
  CHECK(LoopProbe::fd_count(loop) == 0);
  CHECK(LoopProbe::timer_count(loop) == 0);
}
