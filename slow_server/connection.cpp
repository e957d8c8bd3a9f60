// connection.cpp: the output buffer's bookkeeping and a connection's name for logs.
#include "slow_server/connection.hpp"

#include <arpa/inet.h>

namespace slow_server {

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
  return finished;
}

std::string Connection::peer_text() const {
  char address[INET_ADDRSTRLEN] = "?";
  ::inet_ntop(AF_INET, &peer.sin_addr, address, sizeof address);
  return std::string(address) + ":" + std::to_string(ntohs(peer.sin_port));
}

}  // namespace slow_server
