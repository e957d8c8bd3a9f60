// socket_ops.hpp: connect, send and read a line, as coroutines: asyncio's
// loop.sock_connect() and loop.sock_sendall(), and a read_line() on top of sock_recv().
//
// Public API (each throws RequestError, worded by common/client_errors.hpp, on failure):
//   co_await sock_connect(loop, fd, address)      connect a non-blocking socket
//   co_await sock_sendall(loop, fd, data, address) send every byte
//   std::string line = co_await sock_read_line(loop, fd, address)   one '\n'-terminated
//                                                  line, without its '\n' (nor a '\r')
// Each one tries the system call first and awaits readable()/writable() only when the
// answer is "would block", then tries again: one loop, read top to bottom, where stage 1
// needed a callback per step and stage 2 a state per step.
//
// Lifetimes: a coroutine's parameters are copied into its frame, but what a reference
// parameter refers to is not. `data` is a std::string taken by value for that reason (the
// caller's string may be a temporary); `address` is a reference, and must outlive the
// operation (the client keeps it for the whole run). The fd is the caller's, not closed here.
#pragma once

#include <stdexcept>
#include <string>

#include "common/net.hpp"
#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/task.hpp"

namespace stage4 {

// A request failed (refused, reset, closed early...): what() is the message to report.
class RequestError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

Task<void> sock_connect(EventLoop& loop, int fd, const common::Address& address);
Task<void> sock_sendall(EventLoop& loop, int fd, std::string data, const common::Address& address);
Task<std::string> sock_read_line(EventLoop& loop, int fd, const common::Address& address);

}  // namespace stage4
