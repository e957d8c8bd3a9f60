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

std::string reference_shown(std::string_view text, std::size_t max_bytes) {
  static constexpr char hex_digits[] = "0123456789abcdef";
  std::string shown;
  for (std::size_t at = 0; at < text.size() && at < max_bytes; ++at) {
    const auto byte = static_cast<unsigned char>(text[at]);
    if (byte >= ' ' && byte <= '~') {
      shown += static_cast<char>(byte);
    } else {
      shown += "\\x";
      shown += hex_digits[byte / 16];
      shown += hex_digits[byte % 16];
    }
  }
  if (text.size() > max_bytes) shown += "...";
  return shown;
}

std::string reference_wrong_answer(std::string_view request, std::string_view answer) {
  const std::string prefix = "Response to ";
  if (answer == prefix + std::string(request)) return "";
  const std::string shown = reference_shown(answer, 80);
  if (answer.substr(0, 6) == "ERROR ") return "server refused it: " + shown;
  if (answer.substr(0, prefix.size()) == prefix) {
    return "answer for another request: \"" + shown + "\"";
  }
  return "not an answer: \"" + shown + "\"";
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
