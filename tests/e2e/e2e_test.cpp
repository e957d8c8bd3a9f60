// End-to-end: the real binaries, started as a user starts them (common/child_process.hpp),
// judged only by what they print and how they exit. Every client binary is checked
// (tests/CMakeLists.txt passes their paths).
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>

#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/child_process.hpp"
#include "common/net.hpp"
#include "tests/slow_server/test_client.hpp"
#include "tests/support/client_binaries.hpp"
#include "tests/support/server_thread.hpp"
#include "tests/support/timing.hpp"

namespace {

using Client = test_support::ClientBinary;
const std::vector<Client>& clients() {
  return test_support::client_binaries();
}

// The binary's name: the path's last part.
std::string name_of(const Client& client) {
  return client.path.substr(client.path.find_last_of('/') + 1);
}

// "45321" to 45321; 0 for anything that is not a port.
std::uint16_t to_port(const std::string& text) {
  if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != text.npos)
    return 0;
  int port = std::stoi(text);
  return port <= 65535 ? static_cast<std::uint16_t>(port) : 0;
}

// slow_server --port 0, started as a user would; the port read from its first line.
struct ServerProcess {
  common::Child process;
  std::string first_line;
  std::uint16_t port = 0;

  explicit ServerProcess(const std::string& delay, std::vector<std::string> more = {})
      : process(arguments(delay, std::move(more))) {
    first_line = process.read_line(common::Seconds(10)).value_or("");
    const std::string prefix = "listening on 127.0.0.1:";
    if (first_line.starts_with(prefix)) port = to_port(first_line.substr(prefix.size()));
  }

  static std::vector<std::string> arguments(const std::string& delay,
                                            std::vector<std::string> more) {
    std::vector<std::string> argv{AIO_SLOW_SERVER, "--port", "0", "--delay", delay};
    argv.insert(argv.end(), more.begin(), more.end());
    return argv;
  }
};

// Runs `client` with `arguments` against `port`.
common::ChildResult run_client(const Client& client, std::uint16_t port,
                               std::vector<std::string> arguments) {
  std::vector<std::string> argv{client.path, "--port", std::to_string(port)};
  argv.insert(argv.end(), client.flags.begin(), client.flags.end());
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return common::run_child(argv);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The words of `text` split on `separator`, each without spaces around it.
std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string word; std::getline(in, word, separator);) {
    auto first = word.find_first_not_of(' '), last = word.find_last_not_of(' ');
    words.push_back(first == word.npos ? "" : word.substr(first, last - first + 1));
  }
  return words;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The wall time of "5/5 responses in 0.21 s (one after another: 1.0 s)", when `line` is
// that summary for `requests` requests all answered (see common/run_report.cpp).
std::optional<double> wall_of_summary(const std::string& line, int requests) {
  std::string start = std::to_string(requests) + "/" + std::to_string(requests) + " responses in ";
  if (!line.starts_with(start) || !contains(line, " s (one after another: ") ||
      !line.ends_with(" s)"))
    return std::nullopt;
  return std::stod(line.substr(start.size()));
}

}  // namespace

TEST_CASE("slow_server --port 0 says where it listens") {
  ServerProcess server("0.2");
  CHECK(server.first_line.starts_with("listening on 127.0.0.1:"));
  CHECK(server.port != 0);
}

TEST_CASE("every client binary answers each request with its own id, in the time it should" *
          test_support::timing) {
  REQUIRE_FALSE(clients().empty());
  const double delay = 0.2;
  const int n = 10;
  ServerProcess server("0.2");
  REQUIRE(server.port != 0);
  for (const Client& client : clients()) {
    CAPTURE(client.label);
    common::ChildResult run = run_client(client, server.port, {"--requests", std::to_string(n)});
    CHECK(run.exit_code == 0);
    CHECK(run.err.empty());
    int responses = 0, summaries = 0;
    double wall = 0;
    for (const std::string& line : lines_of(run.out)) {
      if (line.starts_with("Response for Request ")) ++responses;
      if (auto seconds = wall_of_summary(line, n)) {
        wall = *seconds;
        ++summaries;
      }
    }
    CHECK(responses == n);
    CHECK(summaries == 1);
    if (client.one_after_another) {
      CHECK(wall > 0.9 * n * delay);
    } else {
      CHECK(wall < test_support::well_below(n * delay));  // one after another
    }
    for (int id = 0; id < n; ++id) {
      std::string request = "Request " + std::to_string(id);
      CHECK(contains(run.out, "Response for " + request + ": Response to " + request + "\n"));
    }
  }
}

TEST_CASE("--json prints one JSON object with the counts and every result") {
  ServerProcess server("0.2");
  REQUIRE(server.port != 0);
  for (const Client& client : clients()) {
    CAPTURE(client.label);
    common::ChildResult run = run_client(client, server.port, {"--requests", "5", "--json"});
    CHECK(run.exit_code == 0);
    nlohmann::json report;
    REQUIRE_NOTHROW(report = nlohmann::json::parse(run.out));  // strict: throws on any flaw
    CHECK(report.at("stage") == name_of(client));
    CHECK(report.at("requests") == 5);
    CHECK(report.at("ok") == 5);
    CHECK(report.at("failed") == 0);
    CHECK(report.at("wall_seconds").get<double>() > 0);
    REQUIRE(report.at("results").size() == 5);
    for (const nlohmann::json& result : report.at("results")) {
      std::string request = "Request " + std::to_string(result.at("id").get<int>());
      CHECK(result.at("ok") == true);
      CHECK(result.at("response") == "Response to " + request);
      CHECK(result.at("error").is_null());
      CHECK(result.at("end").get<double>() >= result.at("start").get<double>());
    }
  }
}

TEST_CASE("a bad command line exits 2 with CLI11's message on stderr") {
  for (const Client& client : clients()) {
    CAPTURE(client.label);
    common::ChildResult run = run_client(client, 8080, {"--requests", "abc"});
    CHECK(run.exit_code == 2);
    CHECK(contains(run.err, "--requests"));
    CHECK(run.out.empty());
  }
}

TEST_CASE("with nothing listening, a client fails every request by name and exits 1") {
  std::uint16_t port = test_support::unused_port();
  for (const Client& client : clients()) {
    CAPTURE(client.label);
    common::ChildResult run = run_client(client, port, {"--requests", "3", "--timeout", "5"});
    CHECK(run.exit_code == 1);
    for (int id = 0; id < 3; ++id) {
      CHECK(contains(run.err, "Request " + std::to_string(id) + " failed: connect to 127.0.0.1:" +
                                  std::to_string(port) + ": Connection refused"));
    }
    CHECK(contains(run.out, "0/3 responses in "));
  }
}

// A client of `server` with "Request 1" sent, left time to be read: the server reads a line
// within microseconds when idle; half a second is room for a loaded machine. Every caller's
// --delay is longer, so the answer is still owed when the test goes on.
common::Fd client_with_request_read(const ServerProcess& server) {
  common::Fd socket = slow_server_test::connect_to(server.port);
  slow_server_test::send_all(socket.get(), "Request 1\n");
  slow_server_test::sleep_seconds(0.5);
  return socket;
}

// True once a connect to `port` is refused: the server has closed its listener.
bool refuses_connections(std::uint16_t port) {
  return test_support::eventually([&] {
    try {
      slow_server_test::connect_to(port);
      return false;  // accepted (or queued): not yet draining
    } catch (const common::NetError&) {
      return true;
    }
  });
}

// How a server process ended, and how long after `since`.
struct Exit {
  common::ChildResult finished;
  double seconds = 0;
};
Exit exit_of(ServerProcess& server, common::TimePoint since) {
  common::ChildResult finished = server.process.wait(common::Seconds(20));
  return {std::move(finished), common::Seconds(common::Clock::now() - since).count()};
}

// A drain cut short with one answer owed (due `delay` s later): exit 0 well before the
// answer was due, and the summary counts it dropped.
void check_cut_short(const Exit& stopped, double delay) {
  CAPTURE(stopped.finished.err);
  CHECK_FALSE(stopped.finished.timed_out);
  CHECK(stopped.finished.exit_code == 0);
  CHECK(stopped.seconds < test_support::well_below(delay));  // waiting for the answer
  CHECK(contains(stopped.finished.err,
                 "1 answers were still pending (dropped), 0 sent while draining"));
}

TEST_CASE("SIGTERM drains: the owed answer is sent at its time, then exit 0, 0 dropped" *
          test_support::timing) {
  const double delay = 0.8;  // long enough to tell "at its time" from "rushed out"
  ServerProcess server(std::to_string(delay));
  REQUIRE(server.port != 0);
  const common::TimePoint sent = common::Clock::now();
  common::Fd client = client_with_request_read(server);
  server.process.send_signal(SIGTERM);
  slow_server_test::Received received =
      slow_server_test::read_lines_then_eof(client.get(), 1, 10, sent);
  CHECK(received.lines == std::vector<std::string>{"Response to Request 1"});
  CHECK(received.eof);  // then the server closes: it owes nothing more
  REQUIRE(received.seconds.size() >= 1);
  CHECK(received.seconds[0] > 0.9 * delay);  // at its normal time, not rushed out
  common::ChildResult stopped = server.process.wait(common::Seconds(10));
  CAPTURE(stopped.err);
  CHECK_FALSE(stopped.timed_out);
  CHECK(stopped.exit_code == 0);
  CHECK(contains(stopped.err, "0 answers were still pending (dropped), 1 sent while draining"));
}

TEST_CASE(
    "during the drain new connections are refused, and a second SIGTERM stops at once, "
    "with 1 dropped" *
    test_support::timing) {
  // The answer is due in 30 s and the drain would last 60: only the second signal ends it.
  const double delay = 30;
  ServerProcess server(std::to_string(delay), {"--drain-timeout", "60"});
  REQUIRE(server.port != 0);
  common::Fd client = client_with_request_read(server);
  server.process.send_signal(SIGTERM);
  CHECK(refuses_connections(server.port));
  const common::TimePoint second = common::Clock::now();
  server.process.send_signal(SIGTERM);
  Exit stopped = exit_of(server, second);
  check_cut_short(stopped, delay);
  slow_server_test::Received received = slow_server_test::read_lines(client.get(), 1, 2);
  CHECK(received.lines.empty());  // the client sees the end, no answer
  CHECK((received.eof || received.error != 0));
}

TEST_CASE("--drain-timeout 0.3 ends a drain that waits for an answer due in 30 s, 1 dropped" *
          test_support::timing) {
  const double delay = 30;
  ServerProcess server(std::to_string(delay), {"--drain-timeout", "0.3"});
  REQUIRE(server.port != 0);
  common::Fd client = client_with_request_read(server);
  const common::TimePoint signalled = common::Clock::now();
  server.process.send_signal(SIGTERM);
  Exit stopped = exit_of(server, signalled);
  check_cut_short(stopped, delay);
  CHECK(stopped.seconds > 0.3);  // the drain did wait
}

TEST_CASE("scripts/demo.sh --no-setup prints a table row for every client binary") {
  common::ChildResult demo =
      common::run_child({"/bin/bash", AIO_SOURCE_DIR "/scripts/demo.sh", "--no-setup",
                         "--build-dir", AIO_BUILD_DIR, "--delay", "0.2", "--requests", "3"});
  CAPTURE(demo.out);
  CAPTURE(demo.err);
  CHECK(demo.exit_code == 0);
  // Rows look like "| stage0_blocking | how | 0.60 s | 0.6 s | 3/3 ok |".
  for (const Client& client : clients()) {
    CAPTURE(client.label);
    int rows = 0;
    for (const std::string& line : lines_of(demo.out)) {
      std::vector<std::string> cells = split(line, '|');
      if (cells.size() != 6 || cells[1] != client.label) continue;
      ++rows;
      CHECK(cells[3].ends_with(" s"));
      CHECK(cells[4].ends_with(" s"));
      CHECK(cells[5] == "3/3 ok");
    }
    CHECK(rows == 1);
  }
}
