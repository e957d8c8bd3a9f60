// socket_ops.hpp: asyncio's loop.sock_connect(sock, address), sock_sendall(sock, data) and
// a read_line on top of sock_recv(sock), as coroutines. Each tries the system call first
// and awaits readable()/writable() only when it would block, then tries again: one loop,
// top to bottom, where stage 1 needed a callback per step and stage 2 a state per step.
// They throw common::client_errors::SocketError; the client words it with the address.
// Lifetimes: a coroutine's parameters are copied into its frame, but not what a reference
// refers to: `data` is taken by value (the caller's may be a temporary). The fd is the
// caller's: not closed here.
#pragma once

#include <coroutine>
#include <cstdint>
#include <string>

#include "common/net.hpp"
#include "common/selector.hpp"
#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/task.hpp"

namespace stage4 {

// [docs:stage4-fd-awaiter]
// `co_await readable(loop, fd)` / `writable(loop, fd)`: suspend until the Selector says
// the socket is ready. The registration (an FdWait) lives in the waiting frame: it ends
// when the loop resumes us, or when a cancelled task's frame is destroyed, always before
// the socket's owner closes it (the socket was opened first and dies last). Stage 3
// registered a callback that resolved a Future that woke the Task; here the registration
// points straight at the coroutine.
class FdAwaiter {
 public:
  FdAwaiter(EventLoop& loop, int fd, std::uint32_t events) noexcept
      : wait_(loop), fd_(fd), events_(events) {}

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> waiting) {
    wait_.start(fd_, events_, waiting);  // may throw (select: FD_SETSIZE): then we do not suspend
  }
  void await_resume() const noexcept {}

 private:
  FdWait wait_;
  int fd_;
  std::uint32_t events_;
};
// [/docs]

inline FdAwaiter readable(EventLoop& loop, int fd) {
  return FdAwaiter(loop, fd, common::EVENT_READ);
}
inline FdAwaiter writable(EventLoop& loop, int fd) {
  return FdAwaiter(loop, fd, common::EVENT_WRITE);
}

Task<void> sock_connect(EventLoop& loop, int fd, const common::Address& address);
Task<void> sock_sendall(EventLoop& loop, int fd, std::string data);
// One '\n'-terminated line, without its '\n' (nor a '\r').
Task<std::string> sock_read_line(EventLoop& loop, int fd);

}  // namespace stage4
