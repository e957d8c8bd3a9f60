// client_answer_fuzz.cpp: the libFuzzer entry point for the clients' answer rule,
// common::wrong_answer() and RunReport::request_succeeded() (checks.hpp says what is
// checked). Run it with scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::check_client_answer({data, size});
  return 0;
}
