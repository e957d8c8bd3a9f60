// The server's bookkeeping alone: timers come out earliest first, each connection has at
// most one (setting it again moves it, cancel takes it out), and an answer counts as sent
// only once its last byte is written.
#include <doctest/doctest.h>

#include "slow_server/connection.hpp"
#include "slow_server/timer_queue.hpp"

using slow_server::TimerQueue;

TEST_CASE("timers come out earliest first, ties by id") {
  TimerQueue timers;
  const auto t0 = common::Clock::now();
  const auto ms = [&](int n) { return t0 + std::chrono::milliseconds(n); };
  timers.schedule(3, ms(30));
  timers.schedule(4, ms(10));
  timers.schedule(2, ms(20));
  timers.schedule(1, ms(10));
  CHECK(timers.size() == 4);
  CHECK(timers.next_due() == ms(10));

  CHECK_FALSE(timers.pop_due(ms(9)).has_value());  // nothing due yet
  CHECK(timers.pop_due(ms(25)) == 1u);
  CHECK(timers.pop_due(ms(25)) == 4u);  // the same due time as 1
  CHECK(timers.pop_due(ms(25)) == 2u);
  CHECK_FALSE(timers.pop_due(ms(25)).has_value());
  CHECK(timers.pop_due(ms(30)) == 3u);
  CHECK_FALSE(timers.next_due().has_value());
  CHECK(timers.size() == 0);
}

TEST_CASE("one timer per id: scheduling again moves it, cancel takes it out") {
  TimerQueue timers;
  const auto t0 = common::Clock::now();
  const auto ms = [&](int n) { return t0 + std::chrono::milliseconds(n); };
  timers.schedule(7, ms(50));
  timers.schedule(7, ms(10));  // earlier: replaces, does not add
  timers.schedule(8, ms(20));
  CHECK(timers.size() == 2);
  CHECK(timers.due(7) == ms(10));
  timers.schedule(7, ms(40));  // later: moves it back
  CHECK(timers.next_due() == ms(20));
  timers.cancel(8);
  timers.cancel(8);   // twice is harmless
  timers.cancel(99);  // never scheduled
  CHECK(timers.size() == 1);
  CHECK_FALSE(timers.due(8).has_value());
  CHECK_FALSE(timers.pop_due(ms(39)).has_value());
  CHECK(timers.pop_due(ms(40)) == 7u);
  CHECK_FALSE(timers.due(7).has_value());  // a timer that fired is gone
}

TEST_CASE("an answer counts as sent once its last byte is written") {
  slow_server::OutputBuffer output;
  output.append_answer("Response to A\n");  // 14 bytes
  output.append_answer("Response to B\n");
  CHECK(output.unfinished_answers() == 2);
  CHECK(output.size() == 28);
  CHECK(output.consume(13) == 0);  // one byte of A still unsent
  CHECK(output.unsent().substr(0, 1) == "\n");
  CHECK(output.consume(1) == 1);
  output.append(std::string(common::protocol::line_too_long));  // not an answer
  CHECK(output.consume(14) == 1);
  CHECK(output.unfinished_answers() == 0);
  CHECK(output.unsent() == common::protocol::line_too_long);
  CHECK(output.consume(output.size()) == 0);
  CHECK(output.empty());
}
