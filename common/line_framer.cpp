#include "common/line_framer.hpp"

namespace common {

namespace {
// One trailing '\r' is dropped: "Request 7\r\n" is the request "Request 7".
std::string without_carriage_return(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return std::string(line);
}
}  // namespace

void LineFramer::feed(std::string_view bytes) {
  if (too_long_) return;
  // Drop the lines already handed out before growing, so the buffer stays small.
  if (start_ > 0 && start_ == buffer_.size()) {
    buffer_.clear();
    scanned_ = start_ = 0;
  } else if (start_ > 4096 && start_ > buffer_.size() / 2) {
    buffer_.erase(0, start_);
    scanned_ -= start_;
    start_ = 0;
  }
  buffer_.append(bytes);
}

std::optional<std::string> LineFramer::next_line() {
  if (too_long_) return std::nullopt;
  // Scan only bytes not scanned before: a line arriving byte by byte costs O(n), not O(n^2).
  std::size_t newline = buffer_.find('\n', scanned_);
  if (newline == std::string::npos) {
    scanned_ = buffer_.size();
    if (buffered_bytes() > max_line_bytes_) {
      too_long_ = true;
    } else {
      release_spare_capacity();
    }
    return std::nullopt;
  }
  std::string_view line(buffer_.data() + start_, newline - start_);
  if (line.size() > max_line_bytes_) {
    too_long_ = true;
    return std::nullopt;
  }
  std::string result = without_carriage_return(line);
  start_ = scanned_ = newline + 1;
  return result;
}

// Every whole line is out; at most one partial line is left. A buffer that a burst grew
// (one read of many lines) gives its memory back, so a quiet connection holds little.
void LineFramer::release_spare_capacity() {
  if (buffer_.capacity() <= 4 * max_line_bytes_) return;
  buffer_.erase(0, start_);
  scanned_ -= start_;
  start_ = 0;
  buffer_.shrink_to_fit();  // never throws: libstdc++ keeps the buffer if it cannot allocate
}

std::optional<std::string> LineFramer::take_rest() {
  std::optional<std::string> rest;
  if (!too_long_ && buffered_bytes() > 0) {
    rest = without_carriage_return(std::string_view(buffer_).substr(start_));
  }
  buffer_.clear();
  start_ = scanned_ = 0;
  return rest;
}

}  // namespace common
