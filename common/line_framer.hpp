// line_framer.hpp: cutting a TCP byte stream into lines.
//
// TCP delivers bytes, not messages: one recv() may return half a line, or three lines
// and the start of a fourth. A LineFramer keeps what has arrived and hands out whole
// lines, without their '\n' and without one trailing '\r' (docs/protocol.md).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/protocol.hpp"

namespace common {

class LineFramer {
 public:
  explicit LineFramer(std::size_t max_line_bytes = protocol::max_line_bytes)
      : max_line_bytes_(max_line_bytes) {}

  // Appends bytes just received.
  void feed(std::string_view bytes);

  // The next whole line, or nullopt when no whole line has arrived yet (then a buffer
  // that a burst of lines made big is shrunk back).
  // Also nullopt once too_long() is true: a line (whole, or still partial) longer
  // than the limit means the stream cannot be trusted any more.
  std::optional<std::string> next_line();

  // True once a line longer than max_line_bytes was seen.
  bool too_long() const noexcept { return too_long_; }

  // At end of stream: the unterminated partial line, if any bytes are left
  // (one trailing '\r' dropped). Empties the buffer.
  std::optional<std::string> take_rest();

  std::size_t buffered_bytes() const noexcept { return buffer_.size() - start_; }

 private:
  void release_spare_capacity();

  std::string buffer_;
  std::size_t start_ = 0;    // where the next line begins in buffer_
  std::size_t scanned_ = 0;  // buffer_[start_, scanned_) holds no '\n'
  std::size_t max_line_bytes_;
  bool too_long_ = false;
};

}  // namespace common
