// The fault matrix (docs/reliability.md): every client binary, started as a
// user starts it, against a real slow_server child process that misbehaves on purpose
// (--fault X --fault-every 2), or against a port where nothing listens.
//
// With --fault-every 2 the server mishandles the 2nd and 4th connection it accepts. Which
// request ids those are depends on the order the client connects in (stage 0 goes
// 3, 2, 1, 0; the others start all four at once), so the test does not guess: it checks
// that exactly two requests failed, each named on stderr with the fault's words, and that
// every other request has its "Response for Request <id>" line. Each run must end (a
// bounded wall time, no hang), exit 1 (0 for trickle: a slow answer is still an answer),
// and, in the asan build, leak nothing (LeakSanitizer would change the exit code).
#include <doctest/doctest.h>

#include <signal.h>

#include <memory>
#include <string>
#include <vector>

#include "common/child_process.hpp"
#include "common/client_errors.hpp"
#include "common/net.hpp"
#include "tests/support/client_binaries.hpp"
#include "tests/support/server_thread.hpp"
#include "tests/support/timing.hpp"

namespace {

using common::Clock;

using Client = test_support::ClientBinary;
const std::vector<Client>& clients() {
  return test_support::client_binaries();
}

constexpr int requests = 4;
constexpr double delay = 0.1;    // the server's --delay
constexpr double timeout = 0.5;  // the client's --timeout (ends a stalled request)
// A run that has not ended after `patience` seconds is killed as hung (and prints no
// summary). The wall the client itself reports must be well under it too: ended by the
// fault or its --timeout (the slowest client needs about 1.2 s), not by luck at the limit.
constexpr double patience = 30;
constexpr double wall_limit = test_support::well_below(patience);

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// slow_server --port 0 --delay 0.1 --fault FAULT --fault-every 2, as a child process; the
// port is read from its first line. Stopped with SIGTERM at the end of the test, which it
// must survive to exit 0 (a crash on a fault would show here).
class FaultyServer {
 public:
  explicit FaultyServer(const std::string& fault)
      : process_({AIO_SLOW_SERVER, "--port", "0", "--delay", std::to_string(delay), "--fault",
                  fault, "--fault-every", "2"}) {
    const std::string first = process_.read_line(common::Seconds(10)).value_or("");
    const std::string prefix = "listening on 127.0.0.1:";
    REQUIRE(first.starts_with(prefix));
    port_ = static_cast<std::uint16_t>(std::stoi(first.substr(prefix.size())));
  }

  std::uint16_t port() const { return port_; }

  // SIGTERM; the server must stop at once and exit 0.
  void stop_and_check() {
    process_.send_signal(SIGTERM);
    common::ChildResult finished = process_.wait(common::Seconds(10));
    CAPTURE(finished.err);
    CHECK_FALSE(finished.timed_out);
    CHECK(finished.exit_code == 0);
  }

 private:
  common::Child process_;
  std::uint16_t port_ = 0;
};

// A client binary started with --requests 4 --timeout 0.5 against `port`.
std::unique_ptr<common::Child> start_client(const Client& client, std::uint16_t port) {
  std::vector<std::string> argv{client.path,
                                "--port",
                                std::to_string(port),
                                "--requests",
                                std::to_string(requests),
                                "--timeout",
                                std::to_string(timeout)};
  argv.insert(argv.end(), client.flags.begin(), client.flags.end());
  return std::make_unique<common::Child>(argv);
}

// The wall time the client itself reports: "2/4 responses in 0.61 s (...)".
double reported_wall(const std::string& out) {
  const std::string marker = "/" + std::to_string(requests) + " responses in ";
  const auto at = out.find(marker);
  return at == std::string::npos ? -1 : std::stod(out.substr(at + marker.size()));
}

// Every id 0..requests-1 either has its answer on stdout or its failure, with `error`, on
// stderr (never both); exactly `failures` of them failed. Returns the reported wall time.
double check_outcome(const common::ChildResult& finished, int failures, const std::string& error) {
  CAPTURE(finished.out);
  CAPTURE(finished.err);
  CHECK_FALSE(finished.timed_out);  // no hang
  CHECK(finished.exit_code == (failures > 0 ? 1 : 0));
  int failed = 0;
  for (int id = 0; id < requests; ++id) {
    CAPTURE(id);
    const std::string request = "Request " + std::to_string(id);
    const bool answered =
        contains(finished.out, "Response for " + request + ": Response to " + request + "\n");
    const bool failed_by_name = contains(finished.err, request + " failed: " + error + "\n");
    CHECK(answered != failed_by_name);
    failed += failed_by_name ? 1 : 0;
  }
  CHECK(failed == failures);
  const int ok = requests - failures;
  CHECK(contains(finished.out,
                 std::to_string(ok) + "/" + std::to_string(requests) + " responses in "));
  const double wall = reported_wall(finished.out);
  CHECK(wall >= 0);  // -1: the client printed no summary line
  CHECK(wall < wall_limit);
  return wall;
}

// Runs every client against a server of its own with `fault` on every 2nd connection, all
// at once (they mostly wait, so the matrix takes as long as its slowest client).
// `error(address)` is the failure's words for a server at that address.
template <typename Error>
void check_every_client(const std::string& fault, int failures, Error error) {
  REQUIRE_FALSE(clients().empty());
  struct Run {
    const Client& client;
    std::unique_ptr<FaultyServer> server;
    std::unique_ptr<common::Child> process;
  };
  const auto start = Clock::now();
  std::vector<Run> runs;
  for (const Client& client : clients()) {
    auto server = std::make_unique<FaultyServer>(fault);
    auto process = start_client(client, server->port());
    runs.push_back({client, std::move(server), std::move(process)});
  }
  for (Run& run : runs) {
    CAPTURE(run.client.label);
    const common::ChildResult finished = run.process->wait(common::Seconds(patience));
    const double wall = check_outcome(
        finished, failures, error(common::resolve_address("127.0.0.1", run.server->port())));
    run.server->stop_and_check();
    if (fault == "stall") {
      // A stalled request takes its whole --timeout, no less; one after another they add up.
      CHECK(wall >= timeout);
      if (run.client.one_after_another) CHECK(wall >= 2 * timeout);
    }
  }
  CHECK(common::Seconds(Clock::now() - start).count() < wall_limit);
}

}  // namespace

TEST_CASE("fault matrix: nothing listening: every request fails with connection refused" *
          test_support::timing) {
  const std::uint16_t port = test_support::unused_port();
  const std::string error = common::client_errors::connect_failed(
      common::resolve_address("127.0.0.1", port), ECONNREFUSED);
  for (const Client& client : clients()) {
    CAPTURE(client.label);
    check_outcome(start_client(client, port)->wait(common::Seconds(patience)), requests, error);
  }
}

TEST_CASE("fault matrix: --fault close-early on every 2nd connection" * test_support::timing) {
  check_every_client("close-early", 2, [](const common::Address& server) {
    return common::client_errors::closed_early(server);  // "... before a whole response line"
  });
}

TEST_CASE("fault matrix: --fault reset on every 2nd connection" * test_support::timing) {
  check_every_client("reset", 2, [](const common::Address& server) {
    return common::client_errors::recv_failed(server, ECONNRESET);  // "... reset by peer"
  });
}

TEST_CASE("fault matrix: --fault stall on every 2nd connection: --timeout ends it" *
          test_support::timing) {
  check_every_client("stall", 2, [](const common::Address&) {
    return common::client_errors::timed_out(timeout);  // "timed out after 0.5 s"
  });
}

TEST_CASE("fault matrix: --fault trickle on every 2nd connection: every answer arrives" *
          test_support::timing) {
  check_every_client("trickle", 0, [](const common::Address&) { return std::string(); });
}
