// abuse_check.cpp: slow_server_abuse_check, a dev tool that abuses a running slow_server
// the ways docs/reliability.md ("The server's limits, measured") measures, and reports
// what the server did to the abusers. Run a well-behaved client beside it
// (slow_server_load_check) to see that the others are still answered on time.
//
//   --mode flood      N connections each send --bytes of '\n' (65,536 requests in 64 KiB)
//                     and never read: the memory budget and --send-timeout.
//   --mode slowloris  N connections each send one byte ('x', never a newline) every --gap
//                     seconds: --request-timeout.
//   --mode churn      N connect/close cycles, one after another: even ones send a request
//                     and reset (RST), odd ones close (FIN) at once: timers of closed
//                     connections.
// For flood and slowloris it then watches each connection (TCP_INFO, every 100 ms) until
// the server closes it or --hold seconds pass, and reports when; what the server wrote is
// read only then (the abusers never read while abusing). The server's own counters
// (owed answers, bytes held, timers) are printed by the server on SIGUSR1.
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/cli.hpp"
#include "common/client_options.hpp"
#include "common/clock.hpp"
#include "common/net.hpp"
#include "common/protocol.hpp"

namespace {

using common::Clock;
using common::Seconds;
using common::TimePoint;

enum class Mode { flood, slowloris, churn };

struct AbuseOptions {
  std::string host = std::string(common::protocol::default_host);
  std::uint16_t port = common::protocol::default_port;
  Mode mode = Mode::flood;
  int connections = 2000;
  std::size_t bytes = 64 * 1024;  // flood: per connection
  double gap_seconds = 1.0;       // slowloris: between two bytes
  double hold_seconds = 120.0;    // give up watching after this long
};

struct Abuser {
  common::Fd socket;
  TimePoint connected;
  std::size_t sent = 0;
  TimePoint next_byte;                 // slowloris
  std::optional<double> closed_after;  // seconds from connect to the server's close
  std::string received;                // what the server wrote, read once it closed
};

double seconds(Clock::duration duration) {
  return Seconds(duration).count();
}

// The server closed (FIN: CLOSE_WAIT) or reset (CLOSE) the connection; we never read, so
// recv() cannot tell us, and TCP_INFO can.
bool closed_by_peer(int fd) {
  tcp_info info{};
  socklen_t length = sizeof info;
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) return true;
  return info.tcpi_state != TCP_ESTABLISHED;
}

// Reads what is left in the receive buffer (a reset may have discarded it).
std::string read_what_is_left(int fd) {
  std::string text;
  char buffer[4096];
  for (;;) {
    common::IoResult result = common::recv_some(fd, buffer);
    if (result.status != common::IoStatus::ok) return text;
    text.append(buffer, result.bytes);
  }
}

std::size_t count_lines_starting(const std::string& text, std::string_view prefix) {
  std::size_t count = 0;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    if (std::string_view(text).substr(start, end - start).starts_with(prefix)) ++count;
    start = end + 1;
  }
  return count;
}

common::Fd connect_nonblocking(const common::Address& address) {
  common::Fd socket = common::make_tcp_socket(/*blocking=*/true);
  common::start_connect(socket.get(), address);  // blocking: loopback, the backlog is deep
  ::fcntl(socket.get(), F_SETFL, ::fcntl(socket.get(), F_GETFL) | O_NONBLOCK);
  return socket;
}

// Keeps abusing every connection not closed yet, and notes when the server closes each.
void abuse(const AbuseOptions& options, std::vector<Abuser>& abusers) {
  const std::string flood(options.bytes, '\n');
  const auto gap = std::chrono::duration_cast<Clock::duration>(Seconds(options.gap_seconds));
  const TimePoint give_up =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(Seconds(options.hold_seconds));
  std::size_t open = abusers.size();
  bool all_sent = false;
  while (open > 0 && Clock::now() < give_up) {
    bool sending = false;
    for (Abuser& abuser : abusers) {
      if (abuser.closed_after) continue;
      const TimePoint now = Clock::now();
      if (closed_by_peer(abuser.socket.get())) {
        abuser.closed_after = seconds(now - abuser.connected);
        abuser.received = read_what_is_left(abuser.socket.get());
        abuser.socket.reset();  // a lingering server may stop waiting for us
        --open;
        continue;
      }
      if (options.mode == Mode::flood && abuser.sent < flood.size()) {
        common::IoResult result =
            common::send_some(abuser.socket.get(), std::string_view(flood).substr(abuser.sent));
        if (result.status == common::IoStatus::ok) abuser.sent += result.bytes;
        sending = sending || abuser.sent < flood.size();
      } else if (options.mode == Mode::slowloris && now >= abuser.next_byte) {
        if (common::send_some(abuser.socket.get(), "x").status == common::IoStatus::ok)
          ++abuser.sent;
        abuser.next_byte += gap;
      }
    }
    if (options.mode == Mode::flood && !sending && !all_sent) {
      all_sent = true;
      std::printf("flooding:       every connection sent all it could; watching\n");
      std::fflush(stdout);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

int report(const AbuseOptions& options, const std::vector<Abuser>& abusers, double wall) {
  std::vector<double> closed;
  std::size_t sent = 0, answers = 0, errors = 0;
  for (const Abuser& abuser : abusers) {
    sent += abuser.sent;
    if (abuser.closed_after) closed.push_back(*abuser.closed_after);
    answers += count_lines_starting(abuser.received, "Response to ");
    errors += count_lines_starting(abuser.received, "ERROR ");
  }
  std::sort(closed.begin(), closed.end());
  std::printf("connections:    %zu, each %s\n", abusers.size(),
              options.mode == Mode::flood ? "flooding newlines, never reading"
                                          : "trickling a byte at a time, never a newline");
  std::printf("sent:           %zu bytes in all (what the kernel took)\n", sent);
  std::printf("closed by the server: %zu, still open: %zu\n", closed.size(),
              abusers.size() - closed.size());
  if (!closed.empty())
    std::printf("  after (from connect): min %.1f s, median %.1f s, max %.1f s\n", closed.front(),
                closed[closed.size() / 2], closed.back());
  std::printf("read after the close: %zu answers, %zu ERROR lines\n", answers, errors);
  std::printf("wall:           %.1f s\n", wall);
  return 0;
}

int churn(const AbuseOptions& options, const common::Address& address) {
  const TimePoint start = Clock::now();
  for (int i = 0; i < options.connections; ++i) {
    common::Fd socket = common::make_tcp_socket(/*blocking=*/true);
    common::start_connect(socket.get(), address);
    if (i % 2 == 1) continue;  // closed at once: a FIN
    const std::string request = common::protocol::request_line(i);
    common::send_some(socket.get(), request);
    linger abort{1, 0};  // then vanish: RST, with the answer owed
    ::setsockopt(socket.get(), SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
  }
  const double wall = seconds(Clock::now() - start);
  std::printf("churn:          %d connect/close cycles (half with a request, then RST)\n",
              options.connections);
  std::printf("wall:           %.1f s (%.0f cycles/s)\n", wall, options.connections / wall);
  return 0;
}

int run(const AbuseOptions& options) {
  const common::Address address = common::resolve_address(options.host, options.port);
  if (options.mode == Mode::churn) return churn(options, address);
  const TimePoint start = Clock::now();
  std::vector<Abuser> abusers(static_cast<std::size_t>(options.connections));
  for (Abuser& abuser : abusers) {
    abuser.socket = connect_nonblocking(address);
    abuser.next_byte = abuser.connected = Clock::now();
  }
  std::printf("connected:      %d in %.1f s\n", options.connections, seconds(Clock::now() - start));
  std::fflush(stdout);
  abuse(options, abusers);
  return report(options, abusers, seconds(Clock::now() - start));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"slow_server_abuse_check: flood, slowloris or churn against a slow_server"};
  AbuseOptions options;
  common::add_server_address_options(app, options.host, options.port);
  common::add_choice_option(
      app, "--mode", options.mode,
      {{"flood", Mode::flood}, {"slowloris", Mode::slowloris}, {"churn", Mode::churn}},
      "flood: newlines, never read; slowloris: a byte every --gap; churn: connect/close cycles");
  app.add_option("--connections", options.connections,
                 "Abusive connections (churn: connect/close cycles)")
      ->capture_default_str()
      ->check(common::integer_validator(1, 1'000'000));
  app.add_option("--bytes", options.bytes, "flood: bytes of '\\n' each connection sends")
      ->capture_default_str()
      ->check(common::integer_validator(1, 1'000'000'000));
  app.add_option("--gap", options.gap_seconds, "slowloris: seconds between two bytes")
      ->capture_default_str()
      ->check(common::seconds_validator(/*allow_zero=*/false));
  app.add_option("--hold", options.hold_seconds,
                 "Seconds to wait for the server to close the abusers")
      ->capture_default_str()
      ->check(common::seconds_validator());
  if (auto exit_code = common::parse_command_line(app, argc, argv)) return *exit_code;

  // One descriptor per connection: up to the hard limit (20,000 on the machine measured).
  const rlim_t limit = common::raise_open_file_limit();
  if (options.mode != Mode::churn && limit < static_cast<rlim_t>(options.connections) + 16) {
    std::fprintf(stderr, "slow_server_abuse_check: the open-file limit is %llu, too low\n",
                 static_cast<unsigned long long>(limit));
    return 1;
  }
  try {
    return run(options);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "slow_server_abuse_check: error: %s\n", error.what());
    return 1;
  }
}
