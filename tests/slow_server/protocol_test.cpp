// The protocol of docs/protocol.md, checked against a real server on port 0: answers
// come `delay` after their own request, in order, framed by lines; half-close, line
// limits and chunk framing behave as written.
#include <doctest/doctest.h>
#include <sys/socket.h>

#include <string>
#include <thread>

#include "common/protocol.hpp"
#include "tests/slow_server/test_client.hpp"
#include "tests/support/server_thread.hpp"

using namespace slow_server_test;

TEST_CASE("a request is answered about `delay` after it arrived, with every selector" *
          test_support::timing) {
  const double delay = 0.1;
  for (auto kind :
       {common::SelectorKind::epoll, common::SelectorKind::poll, common::SelectorKind::select}) {
    if (!common::selector_available(kind)) continue;
    CAPTURE(common::to_string(kind));
    auto options = with_delay(delay);
    options.selector = kind;
    test_support::ServerThread server(options);
    common::Fd socket = connect_to(server.port());
    const auto start = Clock::now();
    send_all(socket.get(), "Request 7\n");
    Received received = read_lines(socket.get(), 1, 3, start);
    REQUIRE(received.lines.size() == 1);
    CHECK(received.lines[0] == "Response to Request 7");
    CHECK(received.seconds[0] >= delay);
    // Ruled out: a wait rounded up to whole seconds (select's tv_sec), 1 s at the least.
    CHECK(received.seconds[0] < well_below(1.0));
    CHECK(eventually([&] { return server.server().stats().answers_sent == 1; }));
    CHECK(server.server().stats().requests_received == 1);
  }
}

TEST_CASE("\\r\\n and an empty line are requests too") {
  test_support::ServerThread server(with_delay(0.1));
  common::Fd socket = connect_to(server.port());
  send_all(socket.get(), "Request 7\r\n\n\r\n");
  Received received = read_lines(socket.get(), 3, 3);
  REQUIRE(received.lines.size() == 3);
  CHECK(received.lines[0] == "Response to Request 7");
  CHECK(received.lines[1] == "Response to ");
  CHECK(received.lines[2] == "Response to ");
}

TEST_CASE("several requests on one connection: in order, each `delay` after its own arrival" *
          test_support::timing) {
  const double delay = 0.4;
  test_support::ServerThread server(with_delay(delay));
  common::Fd socket = connect_to(server.port());
  const auto start = Clock::now();
  send_all(socket.get(), "first\nsecond\n");  // two requests in one write
  sleep_seconds(0.1);
  const double third_sent = seconds_since(start);
  send_all(socket.get(), "third\n");
  Received received = read_lines(socket.get(), 3, 3, start);
  REQUIRE(received.lines.size() == 3);
  CHECK(received.lines[0] == "Response to first");
  CHECK(received.lines[1] == "Response to second");
  CHECK(received.lines[2] == "Response to third");
  CHECK(received.seconds[0] >= delay);
  // Due together, sent together: not a delay apart.
  CHECK(received.seconds[1] - received.seconds[0] < well_below(delay));
  CHECK(received.seconds[2] >= third_sent + delay);  // its own delay, not the first's
}

TEST_CASE("a request split across writes is answered `delay` after its last piece" *
          test_support::timing) {
  const double delay = 0.2;
  test_support::ServerThread server(with_delay(delay));
  common::Fd socket = connect_to(server.port());
  send_all(socket.get(), "Requ");
  sleep_seconds(0.05);
  send_all(socket.get(), "est ");
  sleep_seconds(0.05);
  const auto whole = Clock::now();
  send_all(socket.get(), "5\n");
  Received received = read_lines(socket.get(), 1, 3, whole);
  REQUIRE(received.lines.size() == 1);
  CHECK(received.lines[0] == "Response to Request 5");
  CHECK(received.seconds[0] >= delay);
}

TEST_CASE("after a half-close: the partial line is a request, all are answered, then EOF") {
  test_support::ServerThread server(with_delay(0.15));
  common::Fd socket = connect_to(server.port());
  send_all(socket.get(), "Request 1\nRequest 2\r");
  ::shutdown(socket.get(), SHUT_WR);
  Received received = read_lines_then_eof(socket.get(), 2, 3);
  REQUIRE(received.lines.size() == 2);
  CHECK(received.lines[0] == "Response to Request 1");
  CHECK(received.lines[1] == "Response to Request 2");
  CHECK(received.eof);
  CHECK(eventually([&] { return server.server().stats().open_connections == 0; }));
}

TEST_CASE("1024 bytes is a request, 1025 gets the error at once, drops what is owed, closes" *
          test_support::timing) {
  const double delay = 0.6;
  test_support::ServerThread server(with_delay(delay));
  const std::string longest(common::protocol::max_line_bytes, 'x');
  const auto start = Clock::now();
  common::Fd fits = connect_to(server.port());
  send_all(fits.get(), longest + "\n");
  common::Fd too_long = connect_to(server.port());
  send_all(too_long.get(), "Request 1\n" + longest + "y\n");

  Received refused = read_lines_then_eof(too_long.get(), 1, 3, start);
  REQUIRE(refused.lines.size() == 1);
  CHECK(refused.lines[0] + "\n" == common::protocol::line_too_long);
  CHECK(refused.seconds[0] < well_below(delay));  // at once, not after the delay
  CHECK(refused.eof);  // and nothing after: Request 1's answer is dropped
  Received answered = read_lines(fits.get(), 1, 3);
  REQUIRE(answered.lines.size() == 1);
  CHECK(answered.lines[0] == "Response to " + longest);
  // The counters are published at the end of the server's loop turn: wait for it.
  CHECK(eventually([&] { return server.server().stats().answers_dropped == 1; }));
  CHECK(server.server().stats().lines_too_long == 1);
}

TEST_CASE("a partial line past 1024 bytes without a newline gets the error") {
  test_support::ServerThread server(with_delay(0.3));
  common::Fd socket = connect_to(server.port());
  send_all(socket.get(), std::string(1100, 'x'));
  Received received = read_lines_then_eof(socket.get(), 1, 3);
  REQUIRE(received.lines.size() == 1);
  CHECK(received.lines[0] + "\n" == common::protocol::line_too_long);
  CHECK(received.eof);
}

TEST_CASE("--framing chunk: what one read returns is a request, newline or not") {
  auto options = with_delay(0.1);
  options.framing = slow_server::Framing::chunk;
  test_support::ServerThread server(options);

  common::Fd socket = connect_to(server.port());
  send_all(socket.get(), "Request 9");  // the article's clients send no newline
  Received first = read_lines(socket.get(), 1, 3);
  send_all(socket.get(), "Request 8\r\n");  // one "\n", then one "\r", are stripped
  Received second = read_lines(socket.get(), 1, 3);
  REQUIRE(first.lines.size() == 1);
  REQUIRE(second.lines.size() == 1);
  CHECK(first.lines[0] == "Response to Request 9");
  CHECK(second.lines[0] == "Response to Request 8");

  common::Fd too_long = connect_to(server.port());
  send_all(too_long.get(), std::string(1025, 'x'));
  Received refused = read_lines_then_eof(too_long.get(), 1, 3);
  REQUIRE(refused.lines.size() == 1);
  CHECK(refused.lines[0] + "\n" == common::protocol::line_too_long);
  CHECK(refused.eof);
}
