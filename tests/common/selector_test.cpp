// The Selector backends (common/selector*.cpp): the cases every backend must pass are in
// selector_cases.hpp, run here on each one (exercise 10 runs them on a student's backend);
// below them, what is one backend's own (select's FD_SETSIZE).
#include <doctest/doctest.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "common/fd.hpp"
#include "common/selector.hpp"
#include "tests/common/selector_cases.hpp"
#include "tests/support/open_file_limit.hpp"
#include "tests/support/socket_pair.hpp"
#include "tests/support/timing.hpp"

using test_support::SocketPair;

using common::EVENT_READ;
using common::SelectorKind;

namespace {

std::vector<SelectorKind> all_kinds() {
  std::vector<SelectorKind> kinds;
  for (auto kind : {SelectorKind::epoll, SelectorKind::poll, SelectorKind::select}) {
    if (common::selector_available(kind)) kinds.push_back(kind);
  }
  return kinds;
}

// Runs one case of selector_cases.hpp on every backend this system has, or on those with
// no limit on fd numbers (`without_select`).
template <typename Case>
void for_each_backend(Case run_case, bool without_select = false) {
  for (SelectorKind kind : all_kinds()) {
    if (without_select && kind == SelectorKind::select) continue;
    CAPTURE(common::to_string(kind));
    run_case([kind] { return common::make_selector(kind); }, kind);
  }
}

}  // namespace

TEST_CASE("every selector backend reports readiness with the registered data") {
  for_each_backend(selector_cases::reports_readiness);
}

TEST_CASE("every selector backend refuses to register an fd twice") {
  for_each_backend(
      [](const auto& make, SelectorKind) { selector_cases::refuses_to_register_twice(make); });
}

TEST_CASE("a peer that hangs up wakes a reader, which then reads end-of-file") {
  for_each_backend(
      [](const auto& make, SelectorKind) { selector_cases::wakes_a_reader_on_hang_up(make); });
}

TEST_CASE("select times out when nothing is ready, never before its timeout, however short" *
          test_support::timing) {
  for_each_backend(
      [](const auto& make, SelectorKind) { selector_cases::never_wakes_before_its_timeout(make); });
}

TEST_CASE("a select shorter than a millisecond waits about that long, not a whole one" *
          test_support::timing) {
  for_each_backend(selector_cases::waits_less_than_a_millisecond);
}

TEST_CASE("many registrations: every backend reports each ready fd once") {
  for_each_backend(
      [](const auto& make, SelectorKind) { selector_cases::reports_each_ready_fd_once(make); });
}

TEST_CASE("epoll and poll watch an fd above FD_SETSIZE") {
  for_each_backend(
      [](const auto& make, SelectorKind) { selector_cases::watches_an_fd_above_fd_setsize(make); },
      /*without_select=*/true);
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
