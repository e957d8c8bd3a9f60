// 12-as-completed_check.cpp: the check of exercise 12 (docs/exercises/12-as-completed.md),
// built against exercises/12-as-completed (the starter) and against its solution. First
// the lesson with a real slow_server: requests that start at different times are shown in
// the order their answers arrive, each when it arrives. Then the rules on a virtual clock
// (timers take no time, "when" is exact): failures shown in their turn, and a timeout that
// destroys the requests still running.
#include "show_as_completed.hpp"  // the exercise's (the starter's or the solution's)

#include <doctest/doctest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/net.hpp"
#include "common/protocol.hpp"
#include "stage4_coroutines/client.hpp"
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

// What show() was called with, and when (seconds from the start).
struct Shown {
  std::vector<std::string> texts;
  std::vector<double> at;
};

// Request `id`, sent after `pause`: its answer comes `pause` + the server's delay from now.
Task<std::string> request_after(EventLoop& loop, const common::Address& address, int id,
                                common::Seconds pause) {
  co_await stage4::sleep(loop, std::chrono::duration_cast<stage4::Duration>(pause));
  co_return co_await stage4::make_tcp_request(loop, address, id);
}

// On the virtual clock: `text` after `after`, or an exception with that text.
Task<std::string> answer_after(EventLoop& loop, stage4::Duration after, std::string text,
                               bool fails = false) {
  co_await stage4::sleep(loop, after);
  if (fails) throw std::runtime_error(text);
  co_return text;
}

struct Fixture : exercise_check::VirtualLoop {
  Shown shown;

  std::function<void(const std::string&)> show() {
    return [this](const std::string& text) {
      shown.texts.push_back(text);
      shown.at.push_back(seconds());
    };
  }
};

}  // namespace

TEST_CASE("5 requests to a real server: shown in the order they are answered, each on arrival" *
          test_support::timing) {
  constexpr double delay = 0.1, step = 0.15;
  test_support::ServerThread server(exercise_check::server_options(delay));
  const common::Address address = common::resolve_address("127.0.0.1", server.port());
  EventLoop loop;
  // Request i is sent after pauses[i] steps: answered in the order 3, 1, 4, 2, 0.
  const std::vector<int> pauses = {4, 1, 3, 0, 2};
  std::vector<Task<std::string>> requests;
  for (int id = 0; id < 5; ++id) {
    requests.push_back(request_after(loop, address, id, common::Seconds(step * pauses[id])));
  }
  Shown shown;
  const common::TimePoint start = common::Clock::now();
  loop.run_until_complete(
      exercises::show_as_completed(loop, std::move(requests), [&](const std::string& text) {
        shown.texts.push_back(text);
        shown.at.push_back(common::Seconds(common::Clock::now() - start).count());
      }));
  auto answer = [](int id) {
    return common::protocol::response_text(common::protocol::request_text(id));
  };
  CHECK(shown.texts ==
        std::vector<std::string>{answer(3), answer(1), answer(4), answer(2), answer(0)});
  REQUIRE(shown.at.size() == 5);
  // The first answer comes after one delay, the last after 4 steps more: shown at the end,
  // the first would wait for the last.
  CHECK(shown.at.front() < test_support::well_below(delay + 4 * step));
  CHECK(shown.at.back() > 0.9 * (delay + 4 * step));
}

TEST_CASE("a failed request is shown in its turn, and the others still are") {
  Fixture f;
  std::vector<Task<std::string>> requests;
  requests.push_back(answer_after(f.loop, 3s, "third"));
  requests.push_back(answer_after(f.loop, 1s, "first"));
  requests.push_back(answer_after(f.loop, 2s, "refused", /*fails=*/true));
  stage4_test::run_until_complete(
      f.loop, f.clock, exercises::show_as_completed(f.loop, std::move(requests), f.show()));
  CHECK(f.shown.texts == std::vector<std::string>{"first", "failed: refused", "third"});
  CHECK(f.shown.at == std::vector<double>{1, 2, 3});
  f.check_loop_is_empty();
}

TEST_CASE("given up after 1.5 s (wait_for), the requests still running are destroyed") {
  Fixture f;
  std::vector<Task<std::string>> requests;
  requests.push_back(answer_after(f.loop, 3s, "third"));
  requests.push_back(answer_after(f.loop, 1s, "first"));
  requests.push_back(answer_after(f.loop, 2s, "second"));
  auto give_up = [&]() -> Task<void> {
    try {
      co_await stage4::wait_for(
          f.loop, exercises::show_as_completed(f.loop, std::move(requests), f.show()), 1500ms);
    } catch (const stage4::TimeoutError&) {
    }
  };
  stage4_test::run_until_complete(f.loop, f.clock, give_up());
  CHECK(f.shown.texts == std::vector<std::string>{"first"});
  CHECK(f.shown.at == std::vector<double>{1});
  f.check_loop_is_empty();  // no timer left: the two others are gone, not sleeping on
}
