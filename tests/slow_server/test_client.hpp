// test_client.hpp: a tiny blocking client for the slow_server tests: connect, send
// bytes, read lines (with the time each arrived) until N lines, EOF, an error or a
// timeout. Blocking on purpose: the tests check the server, not a client's loop.
#pragma once

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/clock.hpp"
#include "common/fd.hpp"
#include "common/line_framer.hpp"
#include "common/net.hpp"
#include "common/protocol.hpp"
#include "slow_server/server.hpp"
#include "tests/support/timing.hpp"

namespace slow_server_test {

using test_support::eventually;
using test_support::well_below;

using common::Clock;
using common::TimePoint;

// Server options with this --delay and port 0 (a free port), everything else default.
inline slow_server::ServerOptions with_delay(double seconds) {
  slow_server::ServerOptions options;
  options.port = 0;
  options.delay_seconds = seconds;
  return options;
}

inline void sleep_seconds(double seconds) {
  std::this_thread::sleep_for(common::Seconds(seconds));
}

inline double seconds_since(TimePoint start) {
  return common::Seconds(Clock::now() - start).count();
}

// A blocking socket connected to 127.0.0.1:port. A small `receive_buffer` (bytes)
// makes the server's sends partial sooner.
inline common::Fd connect_to(std::uint16_t port, int receive_buffer = 0) {
  common::Fd socket = common::make_tcp_socket(/*blocking=*/true);
  if (receive_buffer > 0)
    ::setsockopt(socket.get(), SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  common::start_connect(socket.get(), common::resolve_address("127.0.0.1", port));
  return socket;
}

inline void send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    common::IoResult result = common::send_some(fd, bytes);
    if (result.status != common::IoStatus::ok) throw common::NetError("send", result.error);
    bytes.remove_prefix(result.bytes);
  }
}

// Closes with a reset (RST) instead of a FIN: the client "vanishes".
inline void close_with_reset(common::Fd& socket) {
  linger abort{1, 0};
  ::setsockopt(socket.get(), SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
  socket.reset();
}

struct Received {
  std::vector<std::string> lines;
  std::vector<double> seconds;  // when each line arrived, since `start`
  bool eof = false;             // the server closed (recv returned 0)
  int error = 0;                // errno of a failed recv (ECONNRESET...)
  bool timed_out = false;
  std::size_t reads = 0;  // recv calls that returned bytes
  std::string partial;    // bytes after the last '\n' when it ended
};

// Reads until `count` lines arrived, the connection ended, or `timeout_seconds` passed.
inline Received read_lines(int fd, std::size_t count, double timeout_seconds,
                           TimePoint start = Clock::now()) {
  Received received;
  common::LineFramer framer(4096);
  const TimePoint deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(common::Seconds(timeout_seconds));
  char buffer[4096];
  while (received.lines.size() < count) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd watched{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&watched, 1, static_cast<int>(left.count())) == 0) {
      received.timed_out = true;
      break;
    }
    common::IoResult result = common::recv_some(fd, buffer);
    if (result.status == common::IoStatus::closed) {
      received.eof = true;
      break;
    }
    if (result.status == common::IoStatus::error) {
      received.error = result.error;
      break;
    }
    if (result.status != common::IoStatus::ok) continue;
    ++received.reads;
    framer.feed(std::string_view(buffer, result.bytes));
    while (auto line = framer.next_line()) {
      received.lines.push_back(*line);
      received.seconds.push_back(seconds_since(start));
    }
  }
  if (auto rest = framer.take_rest()) received.partial = *rest;
  return received;
}

// Reads `count` lines, then expects the server to close (EOF) right after.
inline Received read_lines_then_eof(int fd, std::size_t count, double timeout_seconds,
                                    TimePoint start = Clock::now()) {
  Received received = read_lines(fd, count, timeout_seconds, start);
  if (received.lines.size() == count && !received.eof && received.error == 0) {
    Received end = read_lines(fd, 1, timeout_seconds, start);
    received.eof = end.eof;
    received.error = end.error;
    received.timed_out = end.timed_out;
    for (auto& line : end.lines) received.lines.push_back(line);
  }
  return received;
}

// `count` connections, the i-th with `Request <first + i>\n` sent.
inline std::vector<common::Fd> clients_with_requests(std::uint16_t port, int count, int first = 0) {
  std::vector<common::Fd> clients;
  for (int i = 0; i < count; ++i) {
    clients.push_back(connect_to(port));
    send_all(clients.back().get(), common::protocol::request_line(first + i));
  }
  return clients;
}

// How many of `clients` (the i-th sent `Request <first + i>`) got their own answer
// within `timeout_seconds` each.
inline int answered_right(const std::vector<common::Fd>& clients, int first = 0,
                          double timeout_seconds = 5) {
  int right = 0;
  for (std::size_t i = 0; i < clients.size(); ++i) {
    Received received = read_lines(clients[i].get(), 1, timeout_seconds);
    const std::string expected = common::protocol::response_text(
        common::protocol::request_text(first + static_cast<int>(i)));
    if (received.lines.size() == 1 && received.lines[0] == expected) ++right;
  }
  return right;
}

// A new client is still served, right.
inline bool still_serving(std::uint16_t port) {
  return answered_right(clients_with_requests(port, 1, 999), 999) == 1;
}

}  // namespace slow_server_test
