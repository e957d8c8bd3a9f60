// The teaching faults (--fault): each misbehaves exactly as documented, so the client
// stages can test their error handling against them.
#include <doctest/doctest.h>

#include <cerrno>
#include <string>
#include <vector>

#include "common/protocol.hpp"
#include "tests/slow_server/test_client.hpp"
#include "tests/support/server_thread.hpp"

using namespace slow_server_test;
using slow_server::Fault;

namespace {

const double delay = 0.1;

slow_server::ServerOptions with_fault(Fault fault, std::size_t every = 1) {
  slow_server::ServerOptions options = with_delay(delay);
  options.fault = fault;
  options.fault_every = every;
  return options;
}

Received ask(std::uint16_t port, double timeout_seconds = 3) {
  common::Fd socket = connect_to(port);
  send_all(socket.get(), "Request 1\n");
  return read_lines(socket.get(), 1, timeout_seconds);
}

}  // namespace

TEST_CASE("--fault close-early: the request is read, the connection closed unanswered" *
          test_support::timing) {
  auto options = with_fault(Fault::close_early);
  options.delay_seconds = 2;  // not waited for: the close comes at once
  test_support::ServerThread server(options);
  const auto start = Clock::now();
  Received received = ask(server.port());
  CHECK(received.lines.empty());
  CHECK(received.partial.empty());
  CHECK(received.eof);
  CHECK(seconds_since(start) < well_below(options.delay_seconds));  // not when the answer was due
  auto stats = server.server().stats();
  CHECK(stats.requests_received == 1);
  CHECK(stats.faults_applied == 1);
}

TEST_CASE("--fault stall: the request is read and never answered, the connection stays open" *
          test_support::timing) {
  test_support::ServerThread server(with_fault(Fault::stall));
  Received received = ask(server.port(), delay + 0.3);
  CHECK(received.lines.empty());
  CHECK(received.timed_out);  // neither an answer nor a close
  CHECK(server.server().stats().faults_applied == 1);
}

TEST_CASE("--fault reset: half the answer, then a reset") {
  test_support::ServerThread server(with_fault(Fault::reset));
  Received received = ask(server.port());
  const std::string answer = "Response to Request 1";
  CHECK(received.lines.empty());  // never a whole line
  CHECK(received.error == ECONNRESET);
  CHECK(answer.starts_with(received.partial));  // what did arrive is the answer's start
  CHECK(server.server().stats().faults_applied == 1);
}

TEST_CASE("--fault trickle: the whole answer, one byte at a time" * test_support::timing) {
  auto options = with_fault(Fault::trickle);
  options.trickle_gap_seconds = 0.01;
  test_support::ServerThread server(options);
  Received received = ask(server.port());
  const std::string answer = "Response to Request 1";
  REQUIRE(received.lines.size() == 1);
  CHECK(received.lines[0] == answer);
  CHECK(received.reads > 5);  // in pieces
  // 22 bytes, 21 gaps of 10 ms after the answer was due.
  CHECK(received.seconds[0] >= delay + 0.9 * 21 * 0.01);
}

TEST_CASE("--fault-every 2: every second connection misbehaves, the others are served") {
  test_support::ServerThread server(with_fault(Fault::close_early, 2));
  std::vector<bool> answered;
  for (int i = 0; i < 4; ++i) answered.push_back(ask(server.port()).lines.size() == 1);
  CHECK(answered == std::vector<bool>{true, false, true, false});
  CHECK(server.server().stats().faults_applied == 2);
}
