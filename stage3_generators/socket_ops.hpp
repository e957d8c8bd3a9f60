// socket_ops.hpp: asyncio 3.4's sock_connect, sock_sendall, sock_recv (futures), sock_read_line.
#pragma once
#include "common/net.hpp"
#include "stage3_generators/event_loop.hpp"

namespace stage3 {
class Socket {  // non-blocking; owned by the frame that made it, it goes when the frame does
 public:
  explicit Socket(EventLoop& loop) : loop_(loop), fd_(common::make_tcp_socket()) {}
  ~Socket() { loop_.cancel_when_ready(fd_.get()); }  // the loop forgets fd_, then it closes
  int get() const noexcept { return fd_.get(); }

 private:
  EventLoop& loop_;
  common::Fd fd_;
};

std::shared_ptr<Future<void>> sock_connect(EventLoop& loop, int fd, const common::Address& address);
std::shared_ptr<Future<void>> sock_sendall(EventLoop& loop, int fd, std::string data);
std::shared_ptr<Future<std::string>> sock_recv(EventLoop& loop, int fd);    // "": peer closed
Generator<FuturePtr, std::string> sock_read_line(EventLoop& loop, int fd);  // without '\n'
}  // namespace stage3
