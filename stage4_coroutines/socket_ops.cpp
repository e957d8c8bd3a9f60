// socket_ops.cpp: each operation is a loop around one system call that awaits the
// socket whenever the call would block.
#include "stage4_coroutines/socket_ops.hpp"

#include <poll.h>

#include <array>

#include "common/client_errors.hpp"
#include "common/line_framer.hpp"

namespace stage4 {

using common::client_errors::SocketError;

// [docs:stage4-sock-connect]
Task<void> sock_connect(EventLoop& loop, int fd, const common::Address& address) {
  try {
    if (common::start_connect(fd, address) == common::ConnectStatus::connected) co_return;
  } catch (const common::NetError& error) {  // refused at once (loopback does)
    throw SocketError(SocketError::Step::connect, error.error());
  }
  // A non-blocking connect() has finished when fd turns writable. Look before waiting
  // (poll() with a zero timeout never blocks): over loopback the handshake is usually
  // over already, and then this request sends at once instead of after every other
  // request has connected.
  if (pollfd ready{fd, POLLOUT, 0}; ::poll(&ready, 1, 0) != 1) co_await writable(loop, fd);
  if (int error = common::connect_result(fd); error != 0) {
    throw SocketError(SocketError::Step::connect, error);
  }
}
// [/docs]

Task<void> sock_sendall(EventLoop& loop, int fd, std::string data) {
  std::string_view rest = data;
  while (!rest.empty()) {
    common::IoResult sent = common::send_some(fd, rest);
    if (sent.status == common::IoStatus::ok) {
      rest.remove_prefix(sent.bytes);
    } else if (sent.status == common::IoStatus::would_block) {
      co_await writable(loop, fd);
    } else {
      throw SocketError(SocketError::Step::send, sent.error);
    }
  }
}

// [docs:stage4-sock-read-line]
Task<std::string> sock_read_line(EventLoop& loop, int fd) {
  common::LineFramer framer(common::client_errors::max_response_bytes);
  std::array<char, 512> buffer;  // in the frame, like every local: keep it small
  for (;;) {
    if (auto line = framer.next_line()) co_return *line;
    if (framer.too_long()) throw SocketError(SocketError::Step::too_long);
    common::IoResult received = common::recv_some(fd, buffer);
    switch (received.status) {
      case common::IoStatus::ok:
        framer.feed({buffer.data(), received.bytes});
        break;
      case common::IoStatus::would_block:
        co_await readable(loop, fd);  // the only line where this coroutine waits
        break;
      case common::IoStatus::closed:
        throw SocketError(SocketError::Step::closed_early);
      case common::IoStatus::error:
        throw SocketError(SocketError::Step::recv, received.error);
    }
  }
}
// [/docs]

}  // namespace stage4
