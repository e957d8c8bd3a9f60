#include "common/net.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace common {

NetError::NetError(const std::string& what_failed, int error)
    : std::runtime_error(what_failed + ": " + errno_text(error)), error_(error) {}

Address resolve_address(const std::string& host, std::uint16_t port) {
  Address address{host, port, {}};
  address.sockaddr.sin_family = AF_INET;
  address.sockaddr.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &address.sockaddr.sin_addr) == 1) return address;

  // Not a dotted quad: ask the resolver (once, before the run; it may block).
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int status = ::getaddrinfo(host.c_str(), nullptr, &hints, &found); status != 0) {
    throw std::runtime_error("cannot resolve host '" + host + "': " + ::gai_strerror(status));
  }
  address.sockaddr.sin_addr = reinterpret_cast<const sockaddr_in*>(found->ai_addr)->sin_addr;
  ::freeaddrinfo(found);
  return address;
}

Fd make_tcp_socket(bool blocking) {
  int flags = SOCK_STREAM | SOCK_CLOEXEC | (blocking ? 0 : SOCK_NONBLOCK);
  Fd socket(::socket(AF_INET, flags, 0));
  if (!socket) throw NetError("socket", errno);
  return socket;
}

ConnectStatus start_connect(int fd, const Address& address) {
  const auto* target = reinterpret_cast<const sockaddr*>(&address.sockaddr);
  if (::connect(fd, target, sizeof address.sockaddr) == 0) return ConnectStatus::connected;
  if (errno == EINPROGRESS) return ConnectStatus::in_progress;
  throw NetError("connect to " + address.to_string(), errno);
}

int connect_result(int fd) {
  int error = 0;
  socklen_t length = sizeof error;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return errno;
  return error;
}

bool writable_now(int fd) {
  pollfd ready{fd, POLLOUT, 0};
  return ::poll(&ready, 1, 0) == 1;
}

IoResult send_some(int fd, std::string_view data) {
  for (;;) {
    ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent >= 0) return {IoStatus::ok, static_cast<std::size_t>(sent), 0};
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return {IoStatus::would_block, 0, 0};
    return {IoStatus::error, 0, errno};
  }
}

IoResult recv_some(int fd, std::span<char> buffer) {
  for (;;) {
    ssize_t received = ::recv(fd, buffer.data(), buffer.size(), 0);
    if (received > 0) return {IoStatus::ok, static_cast<std::size_t>(received), 0};
    if (received == 0) return {IoStatus::closed, 0, 0};
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return {IoStatus::would_block, 0, 0};
    return {IoStatus::error, 0, errno};
  }
}

Fd listen_tcp(const std::string& host, std::uint16_t port, int backlog) {
  Address address = resolve_address(host, port);
  Fd listener = make_tcp_socket();
  int yes = 1;
  // Restarting the server must not wait for old connections' TIME_WAIT to expire.
  ::setsockopt(listener.get(), SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  if (::bind(listener.get(), reinterpret_cast<const sockaddr*>(&address.sockaddr),
             sizeof address.sockaddr) != 0) {
    throw NetError("bind to " + address.to_string(), errno);
  }
  if (::listen(listener.get(), backlog) != 0)
    throw NetError("listen on " + address.to_string(), errno);
  return listener;
}

std::uint16_t local_port(int fd) {
  sockaddr_in bound{};
  socklen_t length = sizeof bound;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length) != 0) {
    throw NetError("getsockname", errno);
  }
  return ntohs(bound.sin_port);
}

rlim_t raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur;
}

}  // namespace common
