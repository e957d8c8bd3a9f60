// connection.cpp: the output buffer's bookkeeping, the owed answers' byte count and a
// connection's name for logs.
#include "slow_server/connection.hpp"

#include <arpa/inet.h>

namespace slow_server {
namespace {

// A drained output buffer bigger than this gives its memory back: after a burst of
// answers, an idle connection should not keep the burst's buffer for ever.
constexpr std::size_t keep_at_most = 16 * 1024;

}  // namespace

void OutputBuffer::append_answer(std::string_view answer) {
  append(answer);
  answer_ends_.push_back(total_appended_);
}

void OutputBuffer::append(std::string_view bytes) {
  // Forget what was written, so a busy connection's buffer does not only grow.
  if (empty() || (sent_ > 65536 && sent_ > bytes_.size() / 2)) {
    bytes_.erase(0, sent_);
    sent_ = 0;
  }
  bytes_.append(bytes);
  total_appended_ += bytes.size();
}

std::size_t OutputBuffer::consume(std::size_t count) {
  sent_ += count;
  total_sent_ += count;
  std::size_t finished = 0;
  while (!answer_ends_.empty() && answer_ends_.front() <= total_sent_) {
    answer_ends_.pop_front();
    ++finished;
  }
  if (empty() && bytes_.capacity() > keep_at_most) {
    bytes_.clear();
    sent_ = 0;
    bytes_.shrink_to_fit();  // empty: back to the string's own 15 bytes, no allocation
  }
  return finished;
}

void Connection::owe(common::TimePoint due, std::string request) {
  const std::size_t size = request.size();
  pending.push_back({due, std::move(request)});  // may throw: then nothing changed
  pending_bytes += size;
}

PendingAnswer Connection::take_oldest() {
  PendingAnswer answer = std::move(pending.front());
  pending.pop_front();
  pending_bytes -= answer.request.size();
  return answer;
}

std::size_t Connection::drop_pending() {
  const std::size_t dropped = pending.size();
  pending.clear();
  pending_bytes = 0;
  return dropped;
}

std::string Connection::peer_text() const {
  char address[INET_ADDRSTRLEN] = "?";
  ::inet_ntop(AF_INET, &peer.sin_addr, address, sizeof address);
  return std::string(address) + ":" + std::to_string(ntohs(peer.sin_port));
}

}  // namespace slow_server
