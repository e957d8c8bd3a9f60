// line_framer_check.cpp: fuzz::check_line_framer (checks.hpp).
#include <string>
#include <string_view>
#include <vector>

#include "common/client_errors.hpp"
#include "common/line_framer.hpp"
#include "common/protocol.hpp"
#include "tests/fuzz/checks.hpp"
#include "tests/fuzz/reference.hpp"

namespace fuzz {

namespace {

// Small limits (1-64 bytes) make "too long" easy to reach; the real ones too.
std::size_t limit_from(std::uint8_t byte) {
  if (byte >= 0xC0) return common::client_errors::max_response_bytes;
  if (byte >= 0x80) return common::protocol::max_line_bytes;
  return 1 + byte % 64;
}

void take_lines(common::LineFramer& framer, std::size_t limit, std::vector<std::string>& lines) {
  while (auto line = framer.next_line()) {
    require(line->find('\n') == std::string::npos, "a line holds a '\\n'");
    require(line->size() <= limit, "a line is longer than the limit");
    lines.push_back(std::move(*line));
  }
}

}  // namespace

void check_line_framer(std::span<const std::uint8_t> input) {
  if (input.size() < 2) return;
  const std::size_t limit = limit_from(input[0]);
  ChunkSizes sizes(input[1]);
  const std::string_view stream(reinterpret_cast<const char*>(input.data() + 2), input.size() - 2);

  common::LineFramer framer(limit);
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < stream.size();) {
    const std::string_view piece = stream.substr(at, sizes.next());
    framer.feed(piece);
    at += piece.size();
    if (sizes.coin()) take_lines(framer, limit, lines);  // or let lines pile up first
  }
  take_lines(framer, limit, lines);

  const ReferenceLines reference = reference_lines(stream, limit);
  require(framer.too_long() == reference.too_long, "too_long() disagrees with the reference");
  require(lines == reference.lines, "the lines differ from the reference");
  const std::optional<std::string> rest = framer.take_rest();
  require(rest == reference.rest, "take_rest() differs from the reference");
  require(framer.buffered_bytes() == 0, "bytes left after take_rest()");
  require(!framer.next_line(), "a line after take_rest()");

  // Round trip: the lines, each with its '\n', then the rest, are the stream again, once
  // the '\r' that ended a line is put back.
  if (!reference.too_long) {
    std::string rebuilt;
    std::string_view original = stream;
    for (const std::string& line : lines) {
      rebuilt += line;
      if (original.substr(line.size()).starts_with("\r\n")) rebuilt += '\r';
      rebuilt += '\n';
      original = std::string_view(stream).substr(rebuilt.size());
    }
    if (rest) rebuilt += stream.substr(rebuilt.size()).ends_with('\r') ? *rest + "\r" : *rest;
    require(rebuilt == stream, "the lines and the rest do not give the stream back");
  }
}

}  // namespace fuzz
