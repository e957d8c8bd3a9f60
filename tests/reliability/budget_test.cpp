// slow_server's memory budget across connections (docs/protocol.md, "Limits";
// docs/reliability.md): a flood of newlines from clients that never read stays within the
// budget while well-behaved clients beside it are answered on time, and connect/close
// churn leaves no timers behind. The RSS figures of the full-size flood (2,000 clients,
// 64 KiB each) are measured with slow_server_abuse_check, not here: RSS is too noisy for
// a test, the server's own counters are exact.
#include <doctest/doctest.h>
#include <fcntl.h>

#include <string>
#include <vector>

#include "common/protocol.hpp"
#include "slow_server/server.hpp"
#include "tests/slow_server/test_client.hpp"
#include "tests/support/server_thread.hpp"

using namespace slow_server_test;

namespace {

// What the budget never refuses one connection (slow_server/server_budget.cpp).
constexpr std::size_t reserve_answers = 16;
constexpr std::size_t reserve_bytes = 4096;

// A connection that sends up to `bytes` of '\n' (as much as the kernel takes at once) and
// never reads.
common::Fd flooder(std::uint16_t port, std::size_t bytes) {
  common::Fd socket = connect_to(port);
  ::fcntl(socket.get(), F_SETFL, ::fcntl(socket.get(), F_GETFL) | O_NONBLOCK);
  const std::string newlines(bytes, '\n');
  std::string_view rest = newlines;
  common::IoResult sent;
  while (!rest.empty() &&
         (sent = common::send_some(socket.get(), rest)).status == common::IoStatus::ok)
    rest.remove_prefix(sent.bytes);
  return socket;
}

}  // namespace

TEST_CASE(
    "budget: 100 clients flood newlines and never read: the server holds no more than "
    "its budget, and 10 bystanders are answered on time" *
    test_support::timing) {
  common::raise_open_file_limit();
  const int flooders = 100, bystanders = 10;
  const std::size_t flood_bytes = 64 * 1024;  // 65,536 requests each
  auto options = with_delay(0.2);
  options.max_owed_answers = 2000;          // the flood could owe 100 x 4096 without it
  options.max_buffered_bytes = 256 * 1024;  // and hold 100 x 16 KiB of unread lines
  test_support::ServerThread server(options);
  std::vector<common::Fd> flood;
  for (int i = 0; i < flooders; ++i) flood.push_back(flooder(server.port(), flood_bytes));
  auto& server_of = server.server();
  REQUIRE(
      eventually([&] { return server_of.stats().pending_answers >= options.max_owed_answers; }));

  // The bystanders arrive once the budget is spent: only their reserve lets them in.
  const auto start = Clock::now();
  std::vector<common::Fd> waiting = clients_with_requests(server.port(), bystanders);
  int on_time = 0;
  for (int i = 0; i < bystanders; ++i) {
    Received received = read_lines(waiting[static_cast<std::size_t>(i)].get(), 1, 5, start);
    if (received.lines == std::vector<std::string>{common::protocol::response_text(
                              common::protocol::request_text(i))} &&
        received.seconds[0] >= options.delay_seconds &&
        received.seconds[0] < well_below(5))  // ruled out: waiting for the flood to end
      ++on_time;
  }
  CHECK(on_time == bystanders);

  // The bound docs/protocol.md states: the budget, plus each connection's reserve; and for
  // bytes, the text each owed answer grows by when it becomes "Response to ...\n".
  const auto stats = server_of.stats();
  const std::size_t connections = flooders + bystanders;
  MESSAGE("flood: peak " << stats.pending_answers_peak << " answers owed, " << stats.bytes_held_peak
                         << " bytes held, " << stats.bytes_received << " of "
                         << flooders * flood_bytes << " bytes read");
  CHECK(stats.pending_answers_peak <= options.max_owed_answers + connections * reserve_answers);
  CHECK(stats.bytes_held_peak <=
        options.max_buffered_bytes + connections * reserve_bytes + stats.pending_answers_peak * 13);
  CHECK(stats.bytes_received < flooders * flood_bytes);  // back-pressure: not all of it read
  CHECK(stats.allocation_failures == 0);
}

TEST_CASE("budget: 2000 connect/close cycles leave no timer behind" * test_support::timing) {
  // Every connection has an idle check (300 s) and each request an answer due: a server
  // that let a closed connection's timers wait until due would hold thousands of them.
  const int cycles = 2000;
  test_support::ServerThread server(with_delay(0.2));
  auto& server_of = server.server();
  for (int i = 0; i < cycles; ++i) {
    common::Fd client = connect_to(server.port());
    if (i % 2 == 0) {  // half vanish (RST) with a request owed, half close (FIN) at once
      send_all(client.get(), common::protocol::request_line(i));
      close_with_reset(client);
    }
  }
  REQUIRE(eventually([&] {
    const auto stats = server_of.stats();
    return stats.connections_accepted == cycles && stats.open_connections == 0;
  }));
  const auto stats = server_of.stats();
  MESSAGE("churn: " << stats.timers << " timers left, peak " << stats.timers_peak);
  CHECK(stats.timers == 0);
  CHECK(stats.timers_peak < well_below(cycles));  // ruled out: one left by every connection
  CHECK(still_serving(server.port()));
}
