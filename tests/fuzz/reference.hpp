// reference.hpp: what the fuzz checks compare against, written the slow, obvious way.
//
// reference_lines() cuts a whole byte stream into lines with std::string_view::find, all
// at once, where common::LineFramer works piece by piece as bytes arrive. The two must
// agree however the stream is split. ChunkSizes turns a fuzz input's first byte into the
// sizes of the pieces, so that libFuzzer explores the splits too. reference_wrong_answer()
// is the clients' answer rule of docs/reliability.md, byte by byte, beside
// common::wrong_answer().
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fuzz {

// A broken invariant. libFuzzer reports the uncaught exception as a crash, with the
// input that caused it; the corpus replay test (tests/reliability) reports it as a failure.
class CheckFailed : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

inline void require(bool holds, const std::string& what) {
  if (!holds) throw CheckFailed(what);
}

struct ReferenceLines {
  std::vector<std::string> lines;   // whole lines before the first too long one, '\r' dropped
  bool too_long = false;            // a line (or the unterminated rest) exceeds the limit
  std::optional<std::string> rest;  // the unterminated rest ('\r' dropped), when not too long
};

// The protocol's framing (docs/protocol.md) of the whole of `stream`, with at most
// `limit` bytes before each '\n' (a '\r' counts).
ReferenceLines reference_lines(std::string_view stream, std::size_t limit);

// What a client says about `answer` to `request` ("Request 7"): empty when it is the
// answer, "Response to Request 7"; else "server refused it: ..." (an "ERROR " line),
// "answer for another request: \"...\"" (another "Response to " line) or
// "not an answer: \"...\"", with the first 80 bytes of the answer shown: a byte below
// 0x20 or above 0x7e as \xNN (lowercase hex), then "..." when the answer is longer.
std::string reference_wrong_answer(std::string_view request, std::string_view answer);

// The first `max_bytes` of `text` as reference_wrong_answer() shows them.
std::string reference_shown(std::string_view text, std::size_t max_bytes);

// Piece sizes from a seed: mostly small (1-16 bytes), sometimes large (up to 2 KiB), so
// lines are cut everywhere, including inside "\r\n".
class ChunkSizes {
 public:
  explicit ChunkSizes(std::uint8_t seed) : state_(0x9E3779B9u ^ (seed * 0x01000193u)) {}
  std::size_t next();
  bool coin();  // a fair coin from the same sequence

 private:
  std::uint32_t step();
  std::uint32_t state_;
};

}  // namespace fuzz
