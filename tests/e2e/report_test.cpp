// slow_server's SIGUSR1 (docs/protocol.md, "Options"): one line of counters on stderr, and
// the server goes on serving, started as a user starts it.
#include <doctest/doctest.h>

#include <signal.h>

#include <string>

#include "common/child_process.hpp"
#include "tests/slow_server/test_client.hpp"

TEST_CASE("SIGUSR1 prints the server's counters on stderr, and the server goes on") {
  common::Child server({AIO_SLOW_SERVER, "--port", "0", "--delay", "1"});
  const std::string first = server.read_line(common::Seconds(10)).value_or("");
  const std::string prefix = "listening on 127.0.0.1:";
  REQUIRE(first.starts_with(prefix));
  const auto port = static_cast<std::uint16_t>(std::stoi(first.substr(prefix.size())));

  common::Fd client = slow_server_test::connect_to(port);
  slow_server_test::send_all(client.get(), "Request 1\n");
  slow_server_test::sleep_seconds(0.3);  // read at once when idle; its answer is owed for 1 s
  server.send_signal(SIGUSR1);
  // Still serving after the signal: the answer comes, at its time.
  slow_server_test::Received answer = slow_server_test::read_lines(client.get(), 1, 5);
  CHECK(answer.lines == std::vector<std::string>{"Response to Request 1"});
  server.send_signal(SIGTERM);
  common::ChildResult stopped = server.wait(common::Seconds(10));
  CAPTURE(stopped.err);
  CHECK(stopped.exit_code == 0);
  CHECK(stopped.err.find("slow_server: 1 connections open (1 accepted, 0 refused), 1 answers "
                         "owed (peak 1)") != std::string::npos);
}
