// socket_ops.hpp: asyncio's loop.sock_connect(sock, address), sock_sendall(sock, data) and
// a read_line on top of sock_recv(sock), as coroutines. Each tries the system call first
// and awaits readable()/writable() only when it would block, then tries again: one loop,
// top to bottom, where stage 1 needed a callback per step and stage 2 a state per step.
// They throw common::client_errors::SocketError; the client words it with the address.
// Lifetimes: a coroutine's parameters are copied into its frame, but not what a reference
// refers to: `data` is taken by value (the caller's may be a temporary). The fd is the
// caller's: not closed here.
#pragma once

#include <string>

#include "common/net.hpp"
#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/task.hpp"

namespace stage4 {

Task<void> sock_connect(EventLoop& loop, int fd, const common::Address& address);
Task<void> sock_sendall(EventLoop& loop, int fd, std::string data);
// One '\n'-terminated line, without its '\n' (nor a '\r').
Task<std::string> sock_read_line(EventLoop& loop, int fd);

}  // namespace stage4
