// The server's bookkeeping alone: timers come out earliest first (ties in the order
// they went in), and an answer counts as sent only once its last byte is written.
#include <doctest/doctest.h>

#include "slow_server/connection.hpp"
#include "slow_server/timer_queue.hpp"

using slow_server::TimerKind;
using slow_server::TimerQueue;

TEST_CASE("timers come out earliest first, ties in the order they were added") {
  TimerQueue timers;
  const auto t0 = common::Clock::now();
  const auto ms = [&](int n) { return t0 + std::chrono::milliseconds(n); };
  timers.add(ms(30), TimerKind::answer, 3);
  timers.add(ms(10), TimerKind::answer, 1);
  timers.add(ms(20), TimerKind::idle_check, 2);
  timers.add(ms(10), TimerKind::trickle, 4);
  CHECK(timers.size() == 4);
  CHECK(timers.next_due() == ms(10));

  CHECK_FALSE(timers.pop_due(ms(9)).has_value());  // nothing due yet
  auto first = timers.pop_due(ms(25));
  auto second = timers.pop_due(ms(25));
  auto third = timers.pop_due(ms(25));
  REQUIRE(first);
  REQUIRE(second);
  REQUIRE(third);
  CHECK(first->serial == 1);
  CHECK(second->serial == 4);  // same due time as serial 1, added after it
  CHECK(second->kind == TimerKind::trickle);
  CHECK(third->serial == 2);
  CHECK_FALSE(timers.pop_due(ms(25)).has_value());
  CHECK(timers.pop_due(ms(30))->serial == 3);
  CHECK_FALSE(timers.next_due().has_value());
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
