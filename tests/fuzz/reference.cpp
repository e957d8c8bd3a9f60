#include "tests/fuzz/reference.hpp"

namespace fuzz {

namespace {
std::string without_carriage_return(std::string_view line) {
  if (line.ends_with('\r')) line.remove_suffix(1);
  return std::string(line);
}
}  // namespace

ReferenceLines reference_lines(std::string_view stream, std::size_t limit) {
  ReferenceLines reference;
  for (std::size_t newline = stream.find('\n'); newline != std::string_view::npos;
       newline = stream.find('\n')) {
    if (newline > limit) {
      reference.too_long = true;
      return reference;
    }
    reference.lines.push_back(without_carriage_return(stream.substr(0, newline)));
    stream.remove_prefix(newline + 1);
  }
  if (stream.size() > limit) {
    reference.too_long = true;
  } else if (!stream.empty()) {
    reference.rest = without_carriage_return(stream);
  }
  return reference;
}

std::uint32_t ChunkSizes::step() {
  // xorshift32: tiny, deterministic, good enough to pick piece sizes.
  state_ ^= state_ << 13;
  state_ ^= state_ >> 17;
  state_ ^= state_ << 5;
  return state_;
}

std::size_t ChunkSizes::next() {
  const std::uint32_t random = step();
  if (random % 8 == 0) return 1 + random / 8 % 2048;
  return 1 + random / 8 % 16;
}

bool ChunkSizes::coin() {
  return step() % 2 == 0;
}

}  // namespace fuzz
