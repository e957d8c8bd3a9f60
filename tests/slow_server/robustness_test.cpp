// What must never bring the server down or make it lose an answer: clients that close
// early, slow readers, silent connections, stopping with answers owed, and many clients
// at once. The heavier abuse (1,000 vanishing clients, floods past --max-connections,
// EMFILE, over-long lines, SIGTERM) is tests/reliability/abuse_test.cpp.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/protocol.hpp"
#include "slow_server/server.hpp"
#include "tests/slow_server/test_client.hpp"
#include "tests/support/server_thread.hpp"

using namespace slow_server_test;

TEST_CASE("clients that close (FIN) before their answer do not hurt the server") {
  test_support::ServerThread server(with_delay(0.1));
  {
    std::vector<common::Fd> clients = clients_with_requests(server.port(), 50);
  }  // closed: to the server this looks like a half-close, so it answers into the void
  CHECK(eventually([&] {
    auto stats = server.server().stats();
    return stats.requests_received == 50 && stats.open_connections == 0;
  }));
  CHECK(still_serving(server.port()));
}

TEST_CASE("a client that reads slowly still gets every answer, in order") {
  // 6000 answers of about 1 KB (6 MB, more than the kernel's buffers hold) to a client
  // with a small receive buffer: the server's sends are partial, its output waits for
  // EVENT_WRITE, and past 4096 owed answers it stops reading (back-pressure).
  test_support::ServerThread server(with_delay(0.05));
  common::Fd socket = connect_to(server.port(), 4096);
  const int count = 6000;
  const std::string padding(1000, 'p');
  std::thread sender([&] {  // the server may stop reading (back-pressure): send aside
    std::string requests;
    for (int i = 0; i < count; ++i) requests += std::to_string(i) + padding + "\n";
    send_all(socket.get(), requests);
  });
  sleep_seconds(0.3);  // not reading: the answers pile up in the server
  Received received = read_lines(socket.get(), count, 10);
  sender.join();
  REQUIRE(received.lines.size() == static_cast<std::size_t>(count));
  int in_order = 0;
  for (int i = 0; i < count; ++i) {
    if (received.lines[static_cast<std::size_t>(i)] == "Response to " + std::to_string(i) + padding)
      ++in_order;
  }
  CHECK(in_order == count);
  // The counters are published when the server's loop turn ends, which may be a moment
  // after the client has read the last byte.
  CHECK(eventually(
      [&] { return server.server().stats().answers_sent == static_cast<std::uint64_t>(count); }));
}

TEST_CASE("--idle-timeout closes a silent connection, not one that is owed an answer" *
          test_support::timing) {
  auto options = with_delay(0.3);
  options.idle_timeout_seconds = 0.1;
  test_support::ServerThread server(options);

  common::Fd silent = connect_to(server.port());
  send_all(silent.get(), "a partial line that never ends");
  const auto start = Clock::now();
  common::Fd waiting = connect_to(server.port());
  send_all(waiting.get(), "Request 1\n");  // owed an answer after 0.3 s > the idle timeout

  Received closed = read_lines(silent.get(), 1, 2, start);
  CHECK(closed.lines.empty());
  CHECK(closed.eof);  // within the read's 2 s: the idle timeout closed it
  CHECK(seconds_since(start) >= 0.09);
  Received answered = read_lines(waiting.get(), 1, 2);
  REQUIRE(answered.lines.size() == 1);
  CHECK(answered.lines[0] == "Response to Request 1");
}

TEST_CASE("stop() with answers owed returns at once and reports them" * test_support::timing) {
  auto options = with_delay(5);  // never due during this test
  options.verbose = true;
  std::ostringstream log;
  slow_server::Server server(options, log);
  std::thread thread([&] { server.run(); });
  std::vector<common::Fd> clients = clients_with_requests(server.port(), 3);
  send_all(clients[0].get(), "another\n");
  REQUIRE(eventually([&] { return server.stats().requests_received == 4; }));

  const auto start = Clock::now();
  server.stop();
  thread.join();
  CHECK(seconds_since(start) < well_below(options.delay_seconds));  // it did not wait for them
  auto stats = server.stats();
  CHECK(stats.pending_answers == 4);
  CHECK(stats.open_connections == 0);
  CHECK(stats.answers_sent == 0);
  Received received = read_lines(clients[1].get(), 1, 1);
  CHECK(received.lines.empty());
  CHECK((received.eof || received.error != 0));            // the client is not left hanging
  CHECK(log.str().find("accepted") != std::string::npos);  // --verbose logged events
}

TEST_CASE("200 clients at once are all answered in about one delay" * test_support::timing) {
  const double delay = 0.25;
  test_support::ServerThread server(with_delay(delay));
  const auto start = Clock::now();
  std::vector<common::Fd> clients = clients_with_requests(server.port(), 200);
  const int right = answered_right(clients, 0, 3);
  const double wall = seconds_since(start);
  CHECK(right == 200);
  CHECK(wall >= delay);
  CHECK(wall < well_below(200 * delay));  // one after another: 50 s
}
