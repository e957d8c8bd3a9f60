// io_uring_available.hpp: stage 5's tests run only where io_uring is allowed. Each test file
// opens its cases with
//   TEST_SUITE_BEGIN("stage5" * stage5_test::unless_io_uring());
// so where the probe fails they are skipped (doctest leaves skipped cases out of the list
// CTest runs), and the probe test in ring_test.cpp prints why.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "stage5_io_uring/ring.hpp"

namespace stage5_test {

inline const std::string& why_not_io_uring() {  // "" where io_uring works
  static const std::string why = stage5::probe();
  return why;
}

inline doctest::skip unless_io_uring() {
  return doctest::skip(!why_not_io_uring().empty());
}

}  // namespace stage5_test
