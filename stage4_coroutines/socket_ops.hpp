// socket_ops.hpp: asyncio's loop.sock_connect, sock_sendall and sock_recv (here a whole
// line, without its '\n'), as coroutines: each loops on one system call, awaiting readable()
// or writable() only when it would block, and throws SocketError. `data` is taken by value:
// a coroutine copies its parameters into its frame, not what a reference refers to.
#pragma once

#include <array>
#include <string>

#include "common/client_errors.hpp"
#include "common/line_framer.hpp"
#include "stage4_coroutines/event_loop.hpp"

namespace stage4 {

using common::IoStatus;
using common::client_errors::SocketError;

inline Task<void> sock_connect(EventLoop& loop, int fd, const common::Address& address) {
  if (common::client_errors::start_connect(fd, address) == common::ConnectStatus::connected)
    co_return;
  // In progress: it has ended when fd turns writable. Look first: over loopback it often
  // has, and this request sends now rather than a turn later.
  if (!common::writable_now(fd)) co_await writable(loop, fd);
  if (int error = common::connect_result(fd)) throw SocketError(SocketError::Step::connect, error);
}

inline Task<void> sock_sendall(EventLoop& loop, int fd, std::string data) {
  for (std::string_view rest = data; !rest.empty();) {
    common::IoResult sent = common::send_some(fd, rest);
    if (sent.status == IoStatus::error) throw SocketError(SocketError::Step::send, sent.error);
    if (sent.status == IoStatus::would_block) co_await writable(loop, fd);
    rest.remove_prefix(sent.bytes);  // 0 unless ok
  }
}

// [docs:stage4-sock-read-line]
inline Task<std::string> sock_read_line(EventLoop& loop, int fd) {
  common::LineFramer framer(common::client_errors::max_response_bytes);
  std::array<char, 512> buffer;  // in the frame, like every local: keep it small
  for (;;) {
    if (std::optional<std::string> line = framer.next_line()) co_return std::move(*line);
    if (framer.too_long()) throw SocketError(SocketError::Step::too_long);
    common::IoResult received = common::recv_some(fd, buffer);
    switch (received.status) {
      case IoStatus::ok:
        framer.feed({buffer.data(), received.bytes});
        break;
      case IoStatus::would_block:
        co_await readable(loop, fd);  // the only line where this coroutine waits
        break;
      case IoStatus::closed:
        throw SocketError(SocketError::Step::closed_early);
      case IoStatus::error:
        throw SocketError(SocketError::Step::recv, received.error);
    }
  }
}
// [/docs]

}  // namespace stage4
