// 09-thread-pool_check.cpp: the check of exercise 09 (docs/exercises/09-thread-pool.md),
// built against exercises/09-thread-pool (the starter) and against its solution. A real
// slow_server in a thread of the check; while the pool runs, a sampler thread counts the
// threads of this process (/proc/self/task), so "never more than N threads" is seen, not
// assumed.
#include "client.hpp"  // the exercise's (the starter's or the solution's: see CMakeLists.txt)

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <iterator>
#include <thread>

#include "common/client_errors.hpp"
#include "common/protocol.hpp"
#include "tests/exercises/check_support.hpp"
#include "tests/support/client_run.hpp"
#include "tests/support/server_thread.hpp"

namespace {

using test_support::well_below;

constexpr double delay = 0.2;

std::size_t threads_now() {
  const std::filesystem::directory_iterator tasks("/proc/self/task");
  return static_cast<std::size_t>(std::distance(begin(tasks), end(tasks)));
}

// Runs the pool and reports, besides the run, the most threads it added at any time.
struct PoolRun {
  test_support::ClientRun run;
  std::size_t most_threads = 0;
};

PoolRun run_pool(const common::ClientOptions& options, std::size_t workers) {
  PoolRun result;
  std::atomic<bool> running = true;
  std::atomic<std::size_t> most = 0;
  // Counted before the sampler starts: the sampler's own thread is not the pool's.
  const std::size_t before = threads_now() + 1;
  std::jthread sampler([&] {
    while (running) {
      const std::size_t now = threads_now();
      if (now > before && now - before > most) most = now - before;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  result.run = test_support::run_client(
      "exercise", options, [workers](const common::ClientOptions& o, common::RunReport& r) {
        exercises::run_pool(o, r, workers);
      });
  running = false;
  sampler.join();
  result.most_threads = most;
  return result;
}

std::string answer(int id) {
  return common::protocol::response_text(common::protocol::request_text(id));
}

}  // namespace

TEST_CASE("10 requests on a pool of 5: two waves, about 2 delays, never more than 5 threads" *
          test_support::timing) {
  test_support::ServerThread server(exercise_check::server_options(delay));
  PoolRun pool = run_pool(test_support::client_options(server.port(), 10), 5);
  CHECK(pool.run.exit_code == 0);
  exercise_check::check_all_answered(pool.run.results, answer);
  CHECK(server.server().stats().connections_accepted == 10);
  CHECK(pool.most_threads <= 5);               // not a thread per request
  CHECK(pool.most_threads >= 2);               // the requests are sent from threads of the pool
  CHECK(pool.run.wall_seconds > 1.8 * delay);  // at most 5 at once: two waves...
  CHECK(pool.run.wall_seconds < well_below(10 * delay));  // ...not 10 one after another
}

TEST_CASE("fewer requests than workers: all at once, and no idle thread" * test_support::timing) {
  test_support::ServerThread server(exercise_check::server_options(delay));
  PoolRun pool = run_pool(test_support::client_options(server.port(), 3), 8);
  CHECK(pool.run.exit_code == 0);
  exercise_check::check_all_answered(pool.run.results, answer);
  CHECK(pool.most_threads <= 3);
  CHECK(pool.run.wall_seconds < well_below(3 * delay));  // one wave, not 3 one after another
}

TEST_CASE("a failed request ends that request only: the worker takes the next one") {
  // Nothing listens: every connect is refused at once, and every request must still be
  // taken from the queue and reported.
  const std::uint16_t port = test_support::unused_port();
  auto options = test_support::client_options(port, 12);
  PoolRun pool = run_pool(options, 4);
  CHECK(pool.run.exit_code == 1);
  CHECK(pool.run.results.size() == 12);
  exercise_check::check_all_failed_with(
      pool.run.results, common::client_errors::connect_failed(options.address(), ECONNREFUSED));
  CHECK(pool.most_threads <= 4);
}
