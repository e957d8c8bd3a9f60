// main.cpp: the slow_server program. Parses options, raises the open-file limit,
// prints "listening on HOST:PORT", and serves until SIGINT or SIGTERM.
// The server itself is server.hpp; the protocol is docs/protocol.md.
#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>

#include "common/cli.hpp"
#include "common/client_options.hpp"
#include "common/net.hpp"
#include "slow_server/server.hpp"

namespace {

// The signal handler may only do async-signal-safe things: Server::stop() writes one
// byte to a pipe, nothing more. The pointer is set before the handlers are installed;
// a lock-free atomic is safe to read in a handler.
std::atomic<slow_server::Server*> running_server{nullptr};
static_assert(std::atomic<slow_server::Server*>::is_always_lock_free);

extern "C" void on_stop_signal(int) {
  if (slow_server::Server* server = running_server.load()) server->stop();
}

void add_server_options(CLI::App& app, slow_server::ServerOptions& options) {
  using common::add_choice_option;
  using slow_server::Fault;
  using slow_server::Framing;
  const auto seconds = common::seconds_validator();
  app.add_option("--host", options.host, "Address to listen on")
      ->capture_default_str()
      ->check(common::host_validator());
  app.add_option("--port", options.port, "Port to listen on (0: pick a free port)")
      ->capture_default_str();
  app.add_option("--delay", options.delay_seconds,
                 "Seconds between a request's arrival and its answer (fractions allowed)")
      ->capture_default_str()
      ->check(seconds);
  add_choice_option(app, "--framing", options.framing,
                    {{"line", Framing::line}, {"chunk", Framing::chunk}},
                    "line: a request ends with a newline (the protocol); chunk: every chunk "
                    "one read returns is a request (the article's sample server)");
  app.add_option("--max-connections", options.max_connections,
                 "Connections served at once; more are accepted and closed at once")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}));
  app.add_option("--idle-timeout", options.idle_timeout_seconds,
                 "Close a connection silent this many seconds with nothing owed (0: never)")
      ->capture_default_str()
      ->check(seconds);
  app.add_flag("--verbose", options.verbose, "One log line (stderr) per connection event");
  common::add_selector_option(app, options.selector);

  // Teaching aids: a server that misbehaves on purpose, to test a client's error handling.
  auto* faults = app.add_option_group("Teaching aids (misbehave on purpose)");
  add_choice_option(*faults, "--fault", options.fault,
                    {{"none", Fault::none},
                     {"close-early", Fault::close_early},
                     {"stall", Fault::stall},
                     {"reset", Fault::reset},
                     {"trickle", Fault::trickle}},
                    "close-early: read the request, close without answering; stall: never "
                    "answer; reset: write half the answer, then reset (RST); trickle: write "
                    "the answer one byte at a time");
  faults
      ->add_option("--fault-every", options.fault_every,
                   "Apply --fault to every N-th connection accepted (1: all)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000'000}));
  faults
      ->add_option("--trickle-gap", options.trickle_gap_seconds,
                   "Seconds between two bytes with --fault trickle")
      ->capture_default_str()
      ->check(seconds);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"slow_server: answers every request line after --delay seconds (docs/protocol.md)"};
  slow_server::ServerOptions options;
  add_server_options(app, options);
  if (auto exit_code = common::parse_command_line(app, argc, argv)) return *exit_code;

  // Every connection is a descriptor; a few more for the listener, the selector, stdio.
  const rlim_t limit = common::raise_open_file_limit();
  if (limit < options.max_connections) {
    std::cerr << "slow_server: the open-file limit is " << limit << ", below --max-connections "
              << options.max_connections << ": past about " << limit
              << " connections accept() fails with EMFILE (the server pauses accepting, it "
                 "does not crash); raise the hard limit (ulimit -Hn) to serve more\n";
  }

  try {
    slow_server::Server server(options, std::cerr);
    std::cout << "listening on " << options.host << ":" << server.port() << std::endl;

    running_server = &server;
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);  // send_some() uses MSG_NOSIGNAL; this is belt and braces

    server.run();

    running_server = nullptr;
    const slow_server::ServerStats stats = server.stats();
    std::cerr << "slow_server: stopped; " << stats.pending_answers
              << " answers were still pending (" << stats.answers_sent << " sent, "
              << stats.connections_accepted << " connections)\n";
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "slow_server: error: " << error.what() << "\n";
    return 1;
  }
}
