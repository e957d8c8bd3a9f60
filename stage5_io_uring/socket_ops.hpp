// socket_ops.hpp: asyncio's loop.sock_connect, sock_sendall and sock_recv (here a whole
// line, without its '\n'), as coroutines on the ring: each submits its system call and
// awaits its completion, instead of stage 4's "try, and await readiness if it would block".
// They throw SocketError. `data` is taken by value: the kernel reads it from this frame.
#pragma once

#include <array>
#include <string>

#include "common/client_errors.hpp"
#include "common/line_framer.hpp"
#include "stage5_io_uring/event_loop.hpp"

namespace stage5 {

using common::client_errors::SocketError;

inline Task<void> sock_connect(EventLoop& loop, int fd, const common::Address& address) {
  // `address` outlives the request (the client's run() holds it): the kernel reads it.
  const int result = co_await submit_connect(loop, fd, address.sockaddr);
  if (result < 0) throw SocketError(SocketError::Step::connect, -result);
}

inline Task<void> sock_sendall(EventLoop& loop, int fd, std::string data) {
  for (std::string_view rest = data; !rest.empty();) {
    const int sent = co_await submit_send(loop, fd, rest);
    if (sent < 0) throw SocketError(SocketError::Step::send, -sent);
    rest.remove_prefix(static_cast<std::size_t>(sent));
  }
}

// [docs:stage5-sock-read-line]
inline Task<std::string> sock_read_line(EventLoop& loop, int fd) {
  common::LineFramer framer(common::client_errors::max_response_bytes);
  std::array<char, 512> buffer;  // the kernel writes here while we wait: see Submit
  for (;;) {
    if (std::optional<std::string> line = framer.next_line()) co_return std::move(*line);
    if (framer.too_long()) throw SocketError(SocketError::Step::too_long);
    const int received = co_await submit_recv(loop, fd, buffer);  // the only wait
    if (received < 0) throw SocketError(SocketError::Step::recv, -received);
    if (received == 0) throw SocketError(SocketError::Step::closed_early);
    framer.feed({buffer.data(), static_cast<std::size_t>(received)});
  }
}
// [/docs]

}  // namespace stage5
