// The fuzz checks (tests/fuzz/checks.hpp) replayed on their seed corpus, in every build:
// libFuzzer needs clang and the fuzz preset, but the invariants (and the corpus files that
// once found bugs) should hold in the dev and asan builds of every compiler too.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/fuzz/checks.hpp"

namespace {

// The corpus files of one target, in name order.
std::vector<std::filesystem::path> corpus_of(const std::string& target) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(AIO_FUZZ_CORPUS "/" + target)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::uint8_t> bytes_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

template <typename Check>
void replay(const std::string& target, Check check) {
  const auto files = corpus_of(target);
  CHECK(files.size() >= 10);
  for (const auto& file : files) {
    CAPTURE(file.filename().string());
    const std::vector<std::uint8_t> input = bytes_of(file);
    CHECK_NOTHROW(check(input));
  }
}

}  // namespace

TEST_CASE("fuzz corpus: common::LineFramer keeps its invariants on every seed") {
  replay("line_framer", fuzz::check_line_framer);
}

TEST_CASE("fuzz corpus: slow_server answers every seed as the protocol says") {
  replay("server_connection", fuzz::check_server_connection);
}

TEST_CASE("fuzz corpus: the clients accept only the answer to the request sent, on every seed") {
  replay("client_answer", fuzz::check_client_answer);
}
