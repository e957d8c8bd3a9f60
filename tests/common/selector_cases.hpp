// selector_cases.hpp: what every Selector backend must do, as functions over a factory, so
// that the same cases check common's backends (selector_test.cpp, once per --selector kind)
// and a student's own poll backend (tests/exercises/10-poll-selector_check.cpp).
//
//   TEST_CASE("...") { selector_cases::reports_readiness(make, SelectorKind::poll); }
#pragma once

#include <doctest/doctest.h>
#include <sys/select.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <vector>

#include "common/fd.hpp"
#include "common/selector.hpp"
#include "tests/support/open_file_limit.hpp"
#include "tests/support/socket_pair.hpp"
#include "tests/support/timing.hpp"

namespace selector_cases {

using namespace std::chrono_literals;
using common::EVENT_READ;
using common::EVENT_WRITE;
using common::SelectorKind;
using test_support::SocketPair;

// A new, empty selector of the backend under test.
using MakeSelector = std::function<std::unique_ptr<common::Selector>()>;

// Readiness is reported with the registered data; modify and unregister do what they say.
inline void reports_readiness(const MakeSelector& make, SelectorKind kind) {
  auto selector = make();
  CHECK(selector->kind() == kind);
  SocketPair pair;
  int token = 42;

  selector->register_fd(pair.a.get(), EVENT_READ, &token);
  CHECK(selector->size() == 1);
  CHECK(selector->select(0ns).empty());  // nothing to read yet

  REQUIRE(::write(pair.b.get(), "x", 1) == 1);
  auto ready = selector->select(1s);
  REQUIRE(ready.size() == 1);
  CHECK(ready[0].fd == pair.a.get());
  CHECK(ready[0].events == EVENT_READ);
  CHECK(ready[0].data == &token);

  // A connected socket with room in its buffer is writable.
  int other = 7;
  selector->modify(pair.a.get(), EVENT_WRITE, &other);
  ready = selector->select(1s);
  REQUIRE(ready.size() == 1);
  CHECK(ready[0].events == EVENT_WRITE);
  CHECK(ready[0].data == &other);

  selector->unregister(pair.a.get());
  CHECK(selector->size() == 0);
  CHECK_THROWS_AS(selector->unregister(pair.a.get()), std::logic_error);
  CHECK_THROWS_AS(selector->modify(pair.a.get(), EVENT_READ, nullptr), std::logic_error);
}

inline void refuses_to_register_twice(const MakeSelector& make) {
  auto selector = make();
  SocketPair pair;
  selector->register_fd(pair.a.get(), EVENT_READ, nullptr);
  CHECK_THROWS_AS(selector->register_fd(pair.a.get(), EVENT_READ, nullptr), std::logic_error);
  selector->unregister(pair.a.get());
}

// A peer that hangs up wakes a reader, which then reads end-of-file.
inline void wakes_a_reader_on_hang_up(const MakeSelector& make) {
  auto selector = make();
  SocketPair pair;
  selector->register_fd(pair.a.get(), EVENT_READ, nullptr);
  pair.b.reset();
  auto ready = selector->select(1s);
  REQUIRE(ready.size() == 1);
  CHECK((ready[0].events & EVENT_READ) != 0);
  char byte;
  CHECK(::read(pair.a.get(), &byte, 1) == 0);
  selector->unregister(pair.a.get());
}

// The backend, watching one socket that stays quiet: what a wait with a timeout sees.
template <typename Check>
void with_quiet_selector(const MakeSelector& make, Check check) {
  auto selector = make();
  SocketPair pair;
  selector->register_fd(pair.a.get(), EVENT_READ, nullptr);
  check(*selector);
  selector->unregister(pair.a.get());
}

// select times out when nothing is ready, never before its timeout, however short.
inline void never_wakes_before_its_timeout(const MakeSelector& make) {
  with_quiet_selector(make, [](common::Selector& selector) {
    // Not whole milliseconds, so that rounding down to one (or to zero) would show.
    for (std::chrono::microseconds timeout : {1500us, 300us, 2700us, 30'000us}) {
      CAPTURE(timeout.count());
      auto before = std::chrono::steady_clock::now();
      CHECK(selector.select(timeout).empty());
      // Rules out rounding down (to 1 ms, 0 ms, 2 ms): a caller woken early spins.
      CHECK(std::chrono::steady_clock::now() - before >= timeout);
    }
  });
}

// A select shorter than a millisecond waits about that long, not a whole one.
inline void waits_less_than_a_millisecond(const MakeSelector& make, SelectorKind kind) {
  with_quiet_selector(make, [kind](common::Selector& selector) {
    constexpr int waits = 200;
    auto before = std::chrono::steady_clock::now();
    int woken_by_something = 0;  // (not a CHECK per wait: one failure, not 200)
    for (int i = 0; i < waits; ++i) woken_by_something += selector.select(100us).empty() ? 0 : 1;
    CHECK(woken_by_something == 0);
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - before;
    MESSAGE(common::to_string(kind)
            << ": " << waits << " waits of 100 us took " << took.count() * 1000 << " ms");
    CHECK(took >= waits * 100us);  // none of them woke early
    // Rules out rounding each wait up to a whole millisecond: at least 200 ms in all.
    CHECK(took.count() < test_support::well_below(waits * 0.001));
  });
}

// Many registrations: each ready fd is reported once, with its own data.
inline void reports_each_ready_fd_once(const MakeSelector& make) {
  auto selector = make();
  std::vector<SocketPair> pairs(200);
  for (auto& pair : pairs) selector->register_fd(pair.a.get(), EVENT_READ, &pair);
  for (std::size_t i = 0; i < pairs.size(); i += 2) REQUIRE(::write(pairs[i].b.get(), "x", 1) == 1);
  auto ready = selector->select(1s);
  CHECK(ready.size() == pairs.size() / 2);
  for (const auto& event : ready) {
    auto* pair = static_cast<SocketPair*>(event.data);
    CHECK(pair->a.get() == event.fd);
    CHECK((pair - pairs.data()) % 2 == 0);
  }
  for (auto& pair : pairs) selector->unregister(pair.a.get());
}

// An fd numbered FD_SETSIZE (1024) or more is watched like any other: what poll and epoll
// have over select, whose bitmap has no bit for it (selector_test.cpp: select refuses it).
inline void watches_an_fd_above_fd_setsize(const MakeSelector& make) {
  // A soft limit of 1,024 open files is common: raised to the hard limit, never skipped.
  test_support::RaisedOpenFileLimit open_files;
  REQUIRE_MESSAGE(open_files.allows(FD_SETSIZE + 1), open_files.why_not(FD_SETSIZE + 1));
  auto selector = make();
  SocketPair pair;
  const int high = ::dup2(pair.a.get(), FD_SETSIZE + 1);
  REQUIRE(high == FD_SETSIZE + 1);
  common::Fd owned(high);
  int token = 9;
  selector->register_fd(high, EVENT_READ, &token);
  CHECK(selector->select(0ns).empty());
  REQUIRE(::write(pair.b.get(), "x", 1) == 1);
  auto ready = selector->select(1s);
  REQUIRE(ready.size() == 1);
  CHECK(ready[0].fd == high);
  CHECK(ready[0].events == EVENT_READ);
  CHECK(ready[0].data == &token);
  selector->unregister(high);
}

}  // namespace selector_cases
