// socket_ops.cpp: each tries its system call, then again once the fd is ready (asyncio 3.4's way).
#include "stage3_generators/socket_ops.hpp"

#include <array>

#include "common/client_errors.hpp"
#include "common/line_framer.hpp"

namespace stage3 {
using common::client_errors::SocketError;

static std::exception_ptr failure(SocketError::Step step, int error) {
  return std::make_exception_ptr(SocketError(step, error));
}

std::shared_ptr<Future<void>> sock_connect(EventLoop& loop, int fd,
                                           const common::Address& address) {
  auto connected = std::make_shared<Future<void>>("connect");
  try {
    common::client_errors::start_connect(fd, address);  // connected at once, or in progress
  } catch (const SocketError&) {                        // failed at once
    connected->set_exception(std::current_exception());
    return connected;
  }
  // on_connected: writable means the connect has ended (at once, if it already has).
  loop.call_when_ready(fd, common::EVENT_WRITE, [fd, connected] {
    int error = common::connect_result(fd);
    if (error != 0) return connected->set_exception(failure(SocketError::Step::connect, error));
    connected->set_result();
  });
  return connected;
}

static void try_send(EventLoop& loop, int fd, std::string rest,
                     std::shared_ptr<Future<void>> sent) {
  common::IoResult result = common::send_some(fd, rest);
  if (result.status == common::IoStatus::error)
    return sent->set_exception(failure(SocketError::Step::send, result.error));
  rest.erase(0, result.bytes);  // nothing sent if it would block
  if (rest.empty()) return sent->set_result();
  loop.call_when_ready(fd, common::EVENT_WRITE,
                       [&loop, fd, rest, sent] { try_send(loop, fd, rest, sent); });
}

std::shared_ptr<Future<void>> sock_sendall(EventLoop& loop, int fd, std::string data) {
  auto sent = std::make_shared<Future<void>>("send");
  try_send(loop, fd, std::move(data), sent);
  return sent;
}

static void try_recv(EventLoop& loop, int fd, std::shared_ptr<Future<std::string>> received) {
  std::array<char, 4096> buffer;
  common::IoResult result = common::recv_some(fd, buffer);
  if (result.status == common::IoStatus::would_block) {
    return loop.call_when_ready(fd, common::EVENT_READ,
                                [&loop, fd, received] { try_recv(loop, fd, received); });
  }
  if (result.status == common::IoStatus::error)
    return received->set_exception(failure(SocketError::Step::recv, result.error));
  received->set_result(std::string(buffer.data(), result.bytes));  // "" when closed
}

std::shared_ptr<Future<std::string>> sock_recv(EventLoop& loop, int fd) {
  auto received = std::make_shared<Future<std::string>>("recv");
  try_recv(loop, fd, received);
  return received;
}

// [docs:stage3-sock-read-line]
Generator<FuturePtr, std::string> sock_read_line(EventLoop& loop, int fd) {
  common::LineFramer framer(common::client_errors::max_response_bytes);
  for (;;) {
    if (std::optional<std::string> line = framer.next_line()) co_return std::move(*line);
    if (framer.too_long()) throw SocketError(SocketError::Step::too_long);
    auto received = sock_recv(loop, fd);
    co_yield received;
    if (received->result().empty()) throw SocketError(SocketError::Step::closed_early);
    framer.feed(received->result());
  }
}
// [/docs]
}  // namespace stage3
