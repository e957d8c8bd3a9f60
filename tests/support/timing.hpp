// timing.hpp: how a test that measures real time bounds it, and how it is labelled.
//
// A timing check tells two behaviours apart: the right one (requests overlap; an error
// ends a request at once) and a wrong one (one after another; the request sits until its
// timeout). Its upper bound is half of what the wrong behaviour costs at the least, never a
// small multiple of what the right one costs: the right one plus the other half is room for a
// loaded 2-core machine under asan or tsan, so the check says which behaviour ran and
// nothing about how fast the machine is that day. Lower bounds (the server's delay was
// honoured, the timeout was waited for) stay as they are: a busy machine only adds time.
//
//   TEST_CASE("10 requests finish in about one delay" * test_support::timing) {
//     ...
//     CHECK(run.wall_seconds < test_support::well_below(10 * delay));  // one after another
//   }
//
// `* test_support::timing` puts the case in the doctest suite "timing"; CMake labels those
// cases `timing` (tests/cmake/label_timing_tests.cmake), so `ctest -L timing` runs exactly
// the tests that depend on the clock.
#pragma once

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

namespace test_support {

// Half of `wrong_seconds`, the least that the behaviour the check rules out would take.
constexpr double well_below(double wrong_seconds) {
  return wrong_seconds / 2;
}

// The decorator of every test case that measures real time.
inline const doctest::test_suite timing("timing");

// Polls `condition` every 2 ms until it holds or `timeout_seconds` pass; returns whether it
// held. For what another thread does soon but not at once (a server counting what it
// read): no fixed sleep to guess, nothing lost on an idle machine, room on a busy one.
template <typename Condition>
bool eventually(Condition condition, double timeout_seconds = 10.0) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace test_support
