// socket_ops.hpp: asyncio's loop.sock_connect(sock, address), sock_sendall(sock, data) and
// a read_line over sock_recv(sock), as coroutines: each tries its system call and awaits
// readable()/writable() only when it would block. They throw client_errors::SocketError.
// `data` is taken by value: a coroutine copies its parameters into its frame, but not what
// a reference refers to (the caller's string may be a temporary). The fd stays the caller's.
#pragma once

#include <string>

#include "common/net.hpp"
#include "stage4_coroutines/event_loop.hpp"

namespace stage4 {

Task<void> sock_connect(EventLoop& loop, int fd, const common::Address& address);
Task<void> sock_sendall(EventLoop& loop, int fd, std::string data);
Task<std::string> sock_read_line(EventLoop& loop, int fd);  // without its '\n' (nor a '\r')

}  // namespace stage4
