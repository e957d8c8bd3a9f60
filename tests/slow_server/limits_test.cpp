// The limits of one connection (docs/protocol.md, "Limits"): a client that never reads
// is read no further than its owed-answer limit, line by line; a line must be whole
// within --request-timeout of its first byte (slowloris); owed answers that cannot be
// written within --send-timeout close the connection. The limits across connections (the
// budget, timer churn) are tests/reliability/budget_test.cpp.
#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "common/protocol.hpp"
#include "tests/slow_server/test_client.hpp"
#include "tests/support/server_thread.hpp"

using namespace slow_server_test;

TEST_CASE("back-pressure holds per line: 64 KiB of newlines, never read, take 4096 requests") {
  // One 16 KiB read of '\n' is 16,384 requests: a limit checked per read would take them
  // all (and the next reads too, once a connection with the limit removed).
  auto options = with_delay(2);  // not waited for: nothing falls due during the test
  test_support::ServerThread server(options);
  const auto& limit = options.max_owed_per_connection;
  common::Fd flooder = connect_to(server.port());
  send_all(flooder.get(), std::string(64 * 1024, '\n'));  // the kernel's buffers take it all

  auto& server_of = server.server();
  REQUIRE(eventually([&] { return server_of.stats().requests_received >= limit; }));
  sleep_seconds(0.1);  // room for more reads, if the server were still reading
  auto stats = server_of.stats();
  CHECK(stats.requests_received == limit);
  CHECK(stats.pending_answers == limit);
  // It stopped reading, too: at most one 16 KiB read past the last line it took.
  CHECK(stats.bytes_received < limit + 16 * 1024);
  CHECK(stats.bytes_held == stats.bytes_received - limit);  // the lines not taken yet
  std::vector<common::Fd> other = clients_with_requests(server.port(), 1);
  CHECK(eventually([&] { return server_of.stats().requests_received == limit + 1; }));
}

namespace {

// Sends `byte` every `gap` seconds (never a '\n') until the server closes or `stop`.
void trickle(int fd, double gap, const std::atomic<bool>& stop) {
  while (!stop) {
    if (common::send_some(fd, "x").status != common::IoStatus::ok) return;  // closed on us
    sleep_seconds(gap);
  }
}

}  // namespace

TEST_CASE(
    "--request-timeout cuts a line that trickles (slowloris), not a client whose lines "
    "are each quick" *
    test_support::timing) {
  auto options = with_delay(0.05);
  options.request_timeout_seconds = 0.3;
  test_support::ServerThread server(options);
  const double trickle_for = 3;  // a byte every 50 ms: each one resets the idle timeout

  common::Fd slow = connect_to(server.port());
  std::atomic<bool> stop{false};
  const auto start = Clock::now();
  std::thread trickler([&] { trickle(slow.get(), 0.05, stop); });
  // Meanwhile a client sends a whole line every 0.1 s, for longer than the timeout in all.
  common::Fd quick = connect_to(server.port());
  std::thread quick_lines([&] {
    for (int i = 0; i < 8; ++i) {
      send_all(quick.get(), common::protocol::request_line(i));
      sleep_seconds(0.1);
    }
  });
  Received cut = read_lines_then_eof(slow.get(), 1, trickle_for, start);
  stop = true;
  trickler.join();
  quick_lines.join();

  REQUIRE(cut.lines.size() == 1);
  CHECK(cut.lines[0] + "\n" == common::protocol::request_timeout);
  CHECK((cut.eof || cut.error != 0));
  CHECK(cut.seconds[0] >= options.request_timeout_seconds);
  CHECK(cut.seconds[0] < well_below(trickle_for));  // ruled out: trickling on and on
  Received answered = read_lines(quick.get(), 8, 3);
  CHECK(answered.lines.size() == 8);
  CHECK(eventually([&] { return server.server().stats().request_timeouts == 1; }));
}

TEST_CASE("--send-timeout closes a connection that never reads what it asked for" *
          test_support::timing) {
  auto options = with_delay(0.05);
  options.send_timeout_seconds = 0.3;
  test_support::ServerThread server(options);
  // Up to 16 MB of answers, more than the kernel's buffers hold (a few MB: the server's
  // send buffer grows to net.ipv4.tcp_wmem's 4 MB) for a client that reads none.
  common::Fd deaf = connect_to(server.port(), 4096);
  const std::string line = std::string(1000, 'p') + "\n";
  std::thread sender([&] {
    for (int i = 0; i < 16000; ++i) {
      std::string_view rest = line;
      while (!rest.empty()) {
        const common::IoResult sent = common::send_some(deaf.get(), rest);
        if (sent.status != common::IoStatus::ok) return;  // closed on us
        rest.remove_prefix(sent.bytes);
      }
    }
  });
  const auto start = Clock::now();
  auto& server_of = server.server();
  CHECK(eventually(
      [&] {
        const auto stats = server_of.stats();
        return stats.send_timeouts == 1 && stats.open_connections == 0;
      },
      10));
  const double closed_after = seconds_since(start);
  ::shutdown(deaf.get(), SHUT_RDWR);  // unblocks the sender, if it still waits
  sender.join();
  CHECK(closed_after >= options.send_timeout_seconds);
  auto stats = server_of.stats();
  CHECK(stats.pending_answers == 0);  // its owed answers were dropped, none left owed
  CHECK(stats.answers_dropped > 0);
  CHECK(still_serving(server.port()));
}
