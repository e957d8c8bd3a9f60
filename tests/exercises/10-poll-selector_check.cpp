// 10-poll-selector_check.cpp: the check of exercise 10 (docs/exercises/10-poll-selector.md),
// built against exercises/10-poll-selector (the starter) and against its solution. The
// cases are common's own selector tests (tests/common/selector_cases.hpp), run on the
// exercise's PollSelector, plus the one that tells poll from select: an fd above FD_SETSIZE.
#include "poll_selector.hpp"  // the exercise's (the starter's or the solution's)

#include <doctest/doctest.h>

#include <memory>

#include "tests/common/selector_cases.hpp"

namespace {

std::unique_ptr<common::Selector> make() {
  return std::make_unique<exercises::PollSelector>();
}

}  // namespace

TEST_CASE("reports readiness with the registered data") {
  selector_cases::reports_readiness(make, common::SelectorKind::poll);
}

TEST_CASE("refuses to register an fd twice") {
  selector_cases::refuses_to_register_twice(make);
}

TEST_CASE("a peer that hangs up wakes a reader, which then reads end-of-file") {
  selector_cases::wakes_a_reader_on_hang_up(make);
}

TEST_CASE("times out when nothing is ready, never before its timeout" * test_support::timing) {
  selector_cases::never_wakes_before_its_timeout(make);
}

TEST_CASE("a wait shorter than a millisecond is not rounded to a whole one" *
          test_support::timing) {
  selector_cases::waits_less_than_a_millisecond(make, common::SelectorKind::poll);
}

TEST_CASE("200 fds registered, 100 ready: each reported once, with its own data") {
  selector_cases::reports_each_ready_fd_once(make);
}

TEST_CASE("watches an fd above FD_SETSIZE, which select cannot") {
  selector_cases::watches_an_fd_above_fd_setsize(make);
}
