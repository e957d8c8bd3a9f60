// socket_ops.cpp: each operation is a loop around one system call that awaits the
// socket whenever the call would block.
#include "stage4_coroutines/socket_ops.hpp"

#include <poll.h>

#include <array>

#include "common/client_errors.hpp"
#include "common/line_framer.hpp"
#include "stage4_coroutines/socket_awaiters.hpp"

namespace stage4 {

namespace client_errors = common::client_errors;

namespace {

// Whether fd is writable right now: poll() with a zero timeout never blocks.
bool writable_now(int fd) {
  pollfd ready{fd, POLLOUT, 0};
  return ::poll(&ready, 1, 0) == 1;
}

}  // namespace

// [docs:stage4-sock-connect]
Task<void> sock_connect(EventLoop& loop, int fd, const common::Address& address) {
  try {
    if (common::start_connect(fd, address) == common::ConnectStatus::connected) co_return;
  } catch (const common::NetError& error) {  // refused at once: same words as below
    throw RequestError(error.what());
  }
  // A non-blocking connect() has finished when fd turns writable. Look before waiting,
  // as send and recv do: over loopback the handshake is usually over already, and then
  // this request sends at once instead of after every other request has connected.
  if (!writable_now(fd)) co_await writable(loop, fd);
  if (int error = common::connect_result(fd); error != 0) {
    throw RequestError(client_errors::connect_failed(address, error));
  }
}
// [/docs]

Task<void> sock_sendall(EventLoop& loop, int fd, std::string data, const common::Address& address) {
  std::string_view rest = data;
  while (!rest.empty()) {
    common::IoResult sent = common::send_some(fd, rest);
    if (sent.status == common::IoStatus::ok) {
      rest.remove_prefix(sent.bytes);
    } else if (sent.status == common::IoStatus::would_block) {
      co_await writable(loop, fd);
    } else {
      throw RequestError(client_errors::send_failed(address, sent.error));
    }
  }
}

// [docs:stage4-sock-read-line]
Task<std::string> sock_read_line(EventLoop& loop, int fd, const common::Address& address) {
  common::LineFramer framer(client_errors::max_response_bytes);
  std::array<char, 512> buffer;  // in the frame, like every local: keep it small
  for (;;) {
    if (auto line = framer.next_line()) co_return *line;
    if (framer.too_long()) {
      throw RequestError(
          client_errors::response_too_long(address, client_errors::max_response_bytes));
    }
    common::IoResult received = common::recv_some(fd, buffer);
    switch (received.status) {
      case common::IoStatus::ok:
        framer.feed({buffer.data(), received.bytes});
        break;
      case common::IoStatus::would_block:
        co_await readable(loop, fd);  // the only line where this coroutine waits
        break;
      case common::IoStatus::closed:
        throw RequestError(client_errors::closed_early(address));
      case common::IoStatus::error:
        throw RequestError(client_errors::recv_failed(address, received.error));
    }
  }
}
// [/docs]

}  // namespace stage4
