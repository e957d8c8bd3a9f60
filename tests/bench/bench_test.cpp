// bench_test.cpp: the pieces the benchmarks are made of: tables, the shared counter, the
// thread cap, and the coroutine engines on a tiny run.
#include <doctest/doctest.h>

#include "bench/report.hpp"
#include "bench/sleep_work.hpp"
#include "tests/support/timing.hpp"

using namespace std::chrono_literals;

TEST_CASE("a table aligns its columns and numbers its notes") {
  bench::Table table({"engine", "C = 10"});
  table.add_row({"ideal", "0.100 s"});
  table.add_row({"threads", "did not finish " + table.note("capped at 5 threads")});
  std::string text = table.str();
  CHECK(text.find("  ideal" + std::string(15, ' ') + "0.100 s\n") != std::string::npos);
  CHECK(text.find("  threads  did not finish [1]\n") != std::string::npos);
  CHECK(text.find("  [1] capped at 5 threads\n") != std::string::npos);
  CHECK(bench::format_count(100'000) == "100,000");
  CHECK(bench::format_count(999) == "999");
}

TEST_CASE("the shared counter hands out every task once, then stops at the time limit") {
  bench::SleepWork work{3, 1ms, 2, common::Seconds(60)};
  auto start = common::Clock::now();
  bench::SleepCounter counter(work, start);
  CHECK(counter.take());
  CHECK(counter.take());
  CHECK(counter.take());
  CHECK_FALSE(counter.take());
  CHECK(counter.result(work, start).finished);

  work.time_limit = common::Seconds(0);
  bench::SleepCounter late(work, start - 1s);
  CHECK_FALSE(late.take());
  auto run = late.result(work, start);
  CHECK_FALSE(run.finished);
  CHECK(run.reason == "the time limit of 0 s passed");
  CHECK(bench::SleepWork{100'000, 10ms, 100, common::Seconds(60)}.ideal_seconds() ==
        doctest::Approx(10.0));
}

TEST_CASE("the thread cap stays well below the kernel's limits and names them" *
          test_support::timing) {
  bench::Machine machine;
  machine.pid_max = 32768;
  machine.threads_max = 192730;
  machine.max_map_count = 65530;
  auto cap = bench::thread_cap(machine);
  CHECK(cap.threads == 16'000);
  CHECK(cap.reason == "capped at 16,000 threads (pid_max 32768, threads-max 192730)");
  machine.pid_max = 4096;
  CHECK(bench::thread_cap(machine).threads == 2048);

  // Past the cap, the engine does not even try.
  bench::SleepWork work{10, 1ms, 5, common::Seconds(60)};
  auto run = bench::run_sleep_threads(work, bench::thread_cap(std::size_t{4}));
  CHECK_FALSE(run.finished);
  CHECK(run.reason == "capped at 4 threads (--thread-cap)");
  run = bench::run_sleep_threads(work, bench::thread_cap(std::size_t{5}));
  CHECK(run.finished);
  CHECK(run.seconds >= 0.002);  // two rounds of 1 ms at least
}

TEST_CASE("every coroutine engine in this build finishes a tiny run, and honours the time limit" *
          test_support::timing) {
  for (const auto& engine : bench::sleep_engines()) {
    CAPTURE(engine.name);
    auto run = engine.run({200, 1ms, 20, common::Seconds(60)});
    CHECK(run.finished);
    CHECK(run.seconds >= 0.010);  // ten rounds of 1 ms
    // The clock is read every 1,024 numbers: after 11 rounds of 10 ms here, past 0.05 s.
    constexpr int sleeps = 20'000, at_once = 100;
    auto late = engine.run({sleeps, 10ms, at_once, common::Seconds(0.05)});
    CHECK_FALSE(late.finished);
    CHECK(late.reason.find("time limit") != std::string::npos);
    CHECK(late.seconds < test_support::well_below(sleeps / at_once * 0.010));  // the whole run
  }
}
