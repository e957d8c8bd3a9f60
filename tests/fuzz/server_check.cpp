// server_check.cpp: fuzz::check_server_connection (checks.hpp).
//
// One slow_server::Server, --delay 0, runs in a background thread for the life of the
// process (a static: libFuzzer calls the check millions of times, and a server per input
// would measure thread start-up, not connection handling). Each input is one connection
// over loopback: the bytes are written in pieces while the answers are read (a poll loop,
// so neither side can block the other), then the client half-closes and reads to EOF.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>

#include "common/clock.hpp"
#include "common/net.hpp"
#include "common/protocol.hpp"
#include "slow_server/server.hpp"
#include "tests/fuzz/checks.hpp"
#include "tests/fuzz/reference.hpp"

namespace fuzz {

namespace {

using common::Clock;

constexpr auto give_up_after = std::chrono::seconds(10);  // a hang is a failure

class BackgroundServer {
 public:
  BackgroundServer() : server_(options(), log_), thread_([this] { server_.run(); }) {}
  ~BackgroundServer() {
    server_.stop();
    thread_.join();
  }
  std::uint16_t port() const { return server_.port(); }
  slow_server::ServerStats stats() const { return server_.stats(); }

 private:
  static slow_server::ServerOptions options() {
    slow_server::ServerOptions options;
    options.port = 0;
    options.delay_seconds = 0;
    return options;
  }
  std::ostringstream log_;  // written only by the server's thread
  slow_server::Server server_;
  std::thread thread_;
};

BackgroundServer& background_server() {
  static BackgroundServer server;  // stopped and joined at exit
  return server;
}

struct Exchange {
  std::string received;
  bool reset = false;  // the connection ended with an error (ECONNRESET) instead of EOF
};

// Sends `stream` in pieces, then half-closes; reads everything the server writes until it
// closes. Throws CheckFailed when the server does not close within give_up_after.
Exchange exchange(std::uint16_t port, std::string_view stream, ChunkSizes& sizes) {
  common::Fd socket = common::make_tcp_socket(/*blocking=*/false);
  int yes = 1;
  ::setsockopt(socket.get(), IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);  // one piece, one segment
  const auto deadline = Clock::now() + give_up_after;
  // Connected before anything else: a half-close on a socket still connecting is lost.
  if (common::start_connect(socket.get(), common::resolve_address("127.0.0.1", port)) ==
      common::ConnectStatus::in_progress) {
    pollfd connecting{socket.get(), POLLOUT, 0};
    require(::poll(&connecting, 1, 10'000) == 1 && common::connect_result(socket.get()) == 0,
            "cannot connect to the server");
  }
  Exchange exchange;
  std::size_t sent = 0, piece_end = 0;
  bool write_closed = false;
  char buffer[16 * 1024];
  for (;;) {
    if (!write_closed && sent == stream.size()) {
      ::shutdown(socket.get(), SHUT_WR);
      write_closed = true;
    }
    pollfd watched{socket.get(), static_cast<short>(POLLIN | (write_closed ? 0 : POLLOUT)), 0};
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    require(left.count() > 0, "the server neither answered nor closed within 10 s");
    if (::poll(&watched, 1, static_cast<int>(left.count())) <= 0) continue;
    if (watched.revents & (POLLIN | POLLHUP | POLLERR)) {
      const common::IoResult result = common::recv_some(socket.get(), buffer);
      if (result.status == common::IoStatus::closed) return exchange;
      if (result.status == common::IoStatus::error) {
        exchange.reset = true;
        return exchange;
      }
      if (result.status == common::IoStatus::ok) exchange.received.append(buffer, result.bytes);
    }
    if (!write_closed && (watched.revents & POLLOUT)) {
      if (sent == piece_end) piece_end = std::min(stream.size(), sent + sizes.next());
      const common::IoResult result =
          common::send_some(socket.get(), stream.substr(sent, piece_end - sent));
      if (result.status == common::IoStatus::ok) sent += result.bytes;
      // The server stops reading after an over-long line (it lingers, then closes):
      // nothing more need go out.
      if (result.status == common::IoStatus::error) sent = stream.size();
    }
  }
}

std::string answer_to(const std::string& request) {
  return common::protocol::response_text(request) + "\n";
}

}  // namespace

void check_server_connection(std::span<const std::uint8_t> input) {
  if (input.empty()) return;
  BackgroundServer& server = background_server();
  // Connections must not pile up: each input's is closed (or closing) when the next starts.
  require(server.stats().open_connections < 64, "connections pile up in the server");
  ChunkSizes sizes(input[0]);
  const std::string_view stream(reinterpret_cast<const char*>(input.data() + 1), input.size() - 1);
  // The connection before this one was answered and closed: the counters stand still.
  const slow_server::ServerStats before = server.stats();
  const Exchange got = exchange(server.port(), stream, sizes);
  require(!got.reset, "the connection was reset instead of closed");

  const ReferenceLines reference = reference_lines(stream, common::protocol::max_line_bytes);
  // What the server parsed, by its own count (it closed our connection, so it has counted
  // everything): each line before an over-long one is a request, then the unterminated
  // rest; no piece of an over-long line is.
  const slow_server::ServerStats after = server.stats();
  require(after.requests_received - before.requests_received ==
              reference.lines.size() + (reference.rest ? 1 : 0),
          "the server counted other requests than the protocol's lines");
  require(after.lines_too_long - before.lines_too_long == (reference.too_long ? 1 : 0),
          "the server's count of over-long lines is wrong");
  std::string expected;
  for (const std::string& line : reference.lines) expected += answer_to(line);
  if (!reference.too_long) {
    // Every request answered, in order, the unterminated rest too (a half-close), then EOF.
    if (reference.rest) expected += answer_to(*reference.rest);
    require(got.received == expected, "the answers differ from the protocol's");
    return;
  }
  // Over-long: the answers already written before the error (a prefix, whole answers),
  // then the error line, then EOF. Answers still pending are dropped (docs/protocol.md).
  const std::string_view error = common::protocol::line_too_long;
  require(got.received.ends_with(error), "no 'ERROR line too long' after an over-long line");
  const std::string_view answers =
      std::string_view(got.received).substr(0, got.received.size() - error.size());
  require(std::string_view(expected).starts_with(answers) &&
              (answers.empty() || answers.ends_with('\n')),
          "the answers before the error are not a prefix of the protocol's");
}

}  // namespace fuzz
