// line_framer_fuzz.cpp: the libFuzzer entry point for common::LineFramer (checks.hpp says
// what is checked). Run it with scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::check_line_framer({data, size});
  return 0;
}
