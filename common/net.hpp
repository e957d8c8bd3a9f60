// net.hpp: thin wrappers over the BSD socket calls the stages share.
//
// These are the calls Python's socket module makes for you. Errors come back as a
// NetError whose message names what failed and where ("connect to 127.0.0.1:8080:
// Connection refused"), or, for send/recv in a loop, as an IoResult the caller checks.
#pragma once

#include <netinet/in.h>
#include <sys/resource.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/fd.hpp"

namespace common {

// An error from the operating system, with what we were doing when it happened.
class NetError : public std::runtime_error {
 public:
  NetError(const std::string& what_failed, int error);
  int error() const noexcept { return error_; }

 private:
  int error_;
};

// An IPv4 address and port, resolved once before any request starts.
struct Address {
  std::string host;
  std::uint16_t port = 0;
  sockaddr_in sockaddr{};

  std::string to_string() const { return host + ":" + std::to_string(port); }
};

// "127.0.0.1" or "localhost" (or any name the resolver knows) to an IPv4 address.
// Throws NetError naming the host when it cannot be resolved.
Address resolve_address(const std::string& host, std::uint16_t port);

// A TCP socket, close-on-exec; non-blocking unless `blocking` is true.
Fd make_tcp_socket(bool blocking = false);

enum class ConnectStatus { connected, in_progress };
// Starts connect(); a non-blocking socket usually answers in_progress and later becomes
// writable. Throws NetError("connect to HOST:PORT", errno) when it fails at once.
ConnectStatus start_connect(int fd, const Address& address);
// The result of a finished non-blocking connect: 0, or the errno it failed with.
int connect_result(int fd);
// Whether fd is writable right now (poll() with a zero timeout: it never blocks). A
// connect in progress over loopback often has ended a moment later.
bool writable_now(int fd);

// The outcome of one send() or recv() on a (usually non-blocking) socket.
enum class IoStatus { ok, would_block, closed, error };
struct IoResult {
  IoStatus status = IoStatus::ok;
  std::size_t bytes = 0;  // bytes moved, when status is ok
  int error = 0;          // errno, when status is error
};
// send() with MSG_NOSIGNAL: a peer that went away gives EPIPE, not a SIGPIPE that
// kills the process.
IoResult send_some(int fd, std::string_view data);
// recv(); status closed means the peer closed its side (recv returned 0).
IoResult recv_some(int fd, std::span<char> buffer);

// A non-blocking listening socket on host:port (port 0: the kernel picks a free one).
Fd listen_tcp(const std::string& host, std::uint16_t port, int backlog);
// The port a socket is bound to (what port 0 turned into).
std::uint16_t local_port(int fd);

// Raises this process's soft limit on open descriptors to its hard limit and
// returns the new soft limit. Every connection is a descriptor: 10,000 of them
// need more than the usual default of 1,024.
rlim_t raise_open_file_limit();

}  // namespace common
