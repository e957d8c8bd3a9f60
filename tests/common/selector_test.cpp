#include <doctest/doctest.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <vector>

#include "common/fd.hpp"
#include "common/selector.hpp"
#include "tests/support/open_file_limit.hpp"
#include "tests/support/socket_pair.hpp"
#include "tests/support/timing.hpp"

using test_support::SocketPair;

using namespace std::chrono_literals;
using common::EVENT_READ;
using common::EVENT_WRITE;
using common::SelectorKind;

namespace {

std::vector<SelectorKind> all_kinds() {
  std::vector<SelectorKind> kinds;
  for (auto kind : {SelectorKind::epoll, SelectorKind::poll, SelectorKind::select}) {
    if (common::selector_available(kind)) kinds.push_back(kind);
  }
  return kinds;
}

// Every backend, watching one socket that stays quiet: what a wait with a timeout sees.
template <typename Check>
void for_each_quiet_selector(Check check) {
  for (SelectorKind kind : all_kinds()) {
    CAPTURE(common::to_string(kind));
    auto selector = common::make_selector(kind);
    SocketPair pair;
    selector->register_fd(pair.a.get(), EVENT_READ, nullptr);
    check(*selector, kind);
    selector->unregister(pair.a.get());
  }
}

}  // namespace

TEST_CASE("every selector backend reports readiness with the registered data") {
  for (SelectorKind kind : all_kinds()) {
    CAPTURE(common::to_string(kind));
    auto selector = common::make_selector(kind);
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
}

TEST_CASE("every selector backend refuses to register an fd twice") {
  for (SelectorKind kind : all_kinds()) {
    CAPTURE(common::to_string(kind));
    auto selector = common::make_selector(kind);
    SocketPair pair;
    selector->register_fd(pair.a.get(), EVENT_READ, nullptr);
    CHECK_THROWS_AS(selector->register_fd(pair.a.get(), EVENT_READ, nullptr), std::logic_error);
    selector->unregister(pair.a.get());
  }
}

TEST_CASE("a peer that hangs up wakes a reader, which then reads end-of-file") {
  for (SelectorKind kind : all_kinds()) {
    CAPTURE(common::to_string(kind));
    auto selector = common::make_selector(kind);
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
}

TEST_CASE("select times out when nothing is ready, never before its timeout, however short" *
          test_support::timing) {
  for_each_quiet_selector([](common::Selector& selector, SelectorKind) {
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

TEST_CASE("a select shorter than a millisecond waits about that long, not a whole one" *
          test_support::timing) {
  for_each_quiet_selector([](common::Selector& selector, SelectorKind kind) {
    constexpr int waits = 200;
    auto before = std::chrono::steady_clock::now();
    for (int i = 0; i < waits; ++i) CHECK(selector.select(100us).empty());
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - before;
    MESSAGE(common::to_string(kind)
            << ": " << waits << " waits of 100 us took " << took.count() * 1000 << " ms");
    CHECK(took >= waits * 100us);  // none of them woke early
    // Rules out rounding each wait up to a whole millisecond: at least 200 ms in all.
    CHECK(took.count() < test_support::well_below(waits * 0.001));
  });
}

TEST_CASE("many registrations: every backend reports each ready fd once") {
  for (SelectorKind kind : all_kinds()) {
    CAPTURE(common::to_string(kind));
    auto selector = common::make_selector(kind);
    std::vector<SocketPair> pairs(200);
    for (auto& pair : pairs) selector->register_fd(pair.a.get(), EVENT_READ, &pair);
    for (std::size_t i = 0; i < pairs.size(); i += 2)
      REQUIRE(::write(pairs[i].b.get(), "x", 1) == 1);
    auto ready = selector->select(1s);
    CHECK(ready.size() == pairs.size() / 2);
    for (const auto& event : ready) {
      auto* pair = static_cast<SocketPair*>(event.data);
      CHECK(pair->a.get() == event.fd);
      CHECK((pair - pairs.data()) % 2 == 0);
    }
    for (auto& pair : pairs) selector->unregister(pair.a.get());
  }
}

TEST_CASE("a test that raises the soft limit on open files puts it back after") {
  rlimit start{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &start) == 0);
  REQUIRE(start.rlim_max > 64);
  // Below the hard limit, as on machines that start processes with 1,024 of 4,096 or more.
  rlimit lowered = start;
  lowered.rlim_cur = std::min<rlim_t>(start.rlim_max - 1, 4096);
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &lowered) == 0);
  rlimit now{};
  {
    test_support::RaisedOpenFileLimit open_files;
    ::getrlimit(RLIMIT_NOFILE, &now);
    CHECK(now.rlim_cur > lowered.rlim_cur);
    CHECK(open_files.allows(static_cast<int>(lowered.rlim_cur)));
  }
  ::getrlimit(RLIMIT_NOFILE, &now);
  CHECK(now.rlim_cur == lowered.rlim_cur);
  ::setrlimit(RLIMIT_NOFILE, &start);
}

TEST_CASE("the select backend refuses an fd at or above FD_SETSIZE, naming the limit") {
  // A soft limit of 1,024 open files is common: raised to the hard limit, never skipped.
  test_support::RaisedOpenFileLimit open_files;
  REQUIRE_MESSAGE(open_files.allows(FD_SETSIZE), open_files.why_not(FD_SETSIZE));
  auto selector = common::make_selector(SelectorKind::select);
  SocketPair pair;
  const int high = ::dup2(pair.a.get(), FD_SETSIZE);
  REQUIRE(high == FD_SETSIZE);
  common::Fd owned(high);
  try {
    selector->register_fd(high, EVENT_READ, nullptr);
    FAIL("registered fd " << high);
  } catch (const std::runtime_error& error) {
    CHECK(std::string(error.what()).find("FD_SETSIZE is " + std::to_string(FD_SETSIZE)) !=
          std::string::npos);
  }
  CHECK(selector->size() == 0);
}
