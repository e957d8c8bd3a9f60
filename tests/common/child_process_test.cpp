// child_process_test.cpp: the one runner the benchmarks and the end-to-end tests start
// programs with (common/child_process.hpp): what a child printed, how it ended, what it
// cost, its stdout line by line while it runs, and a child that hangs is killed.
#include <doctest/doctest.h>

#include <signal.h>

#include "common/child_process.hpp"
#include "tests/support/timing.hpp"

TEST_CASE("a child process: its output and exit code and rusage, and a hung one is killed" *
          test_support::timing) {
  auto run = common::run_child({"sh", "-c", "echo out; echo err >&2; exit 3"}, common::Seconds(10));
  CHECK(run.exit_code == 3);
  CHECK(run.out == "out\n");
  CHECK(run.err == "err\n");
  CHECK(run.peak_rss_bytes > 0);

  auto hung = common::run_child({"sleep", "10"}, common::Seconds(0.1));
  CHECK(hung.timed_out);
  CHECK(hung.wall_seconds < test_support::well_below(10));  // killed, not waited for

  auto missing = common::run_child({"/nonexistent/program"}, common::Seconds(1));
  CHECK(missing.exit_code == 127);
  CHECK(missing.err.find("/nonexistent/program") != std::string::npos);
}

TEST_CASE("a child's stdout is read line by line while it runs, and a signal ends it") {
  // The second line comes only after the first was read: read_line waits for it.
  // (The trap comes first: a SIGTERM before it would end the shell instead.)
  common::Child server({"sh", "-c",
                        "trap 'echo bye; exit 0' TERM; echo 'listening on 127.0.0.1:1234'; "
                        "sleep 0.2; echo two; while :; do sleep 0.05; done"});
  CHECK(server.read_line(common::Seconds(5)) == "listening on 127.0.0.1:1234");
  CHECK(server.read_line(common::Seconds(5)) == "two");
  CHECK(server.read_line(common::Seconds(0.1)) == std::nullopt);  // nothing more yet
  server.send_signal(SIGTERM);
  auto stopped = server.wait(common::Seconds(5));
  CHECK_FALSE(stopped.timed_out);
  CHECK(stopped.exit_code == 0);
  CHECK(stopped.out == "listening on 127.0.0.1:1234\ntwo\nbye\n");  // every line, read or not

  common::Child stubborn({"sleep", "10"});
  CHECK(stubborn.stop().signal == SIGTERM);
}
