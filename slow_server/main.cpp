// main.cpp: the slow_server program. Parses options, raises the open-file limit,
// prints "listening on HOST:PORT", and serves until SIGINT or SIGTERM (the first drains,
// a second stops at once). SIGUSR1 prints the server's counters on stderr.
// The server itself is server.hpp; the protocol is docs/protocol.md.
#include <CLI/CLI.hpp>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <iostream>

#include "common/client_options.hpp"
#include "common/net.hpp"
#include "slow_server/options.hpp"
#include "slow_server/server.hpp"

namespace {

// The signal handler may only do async-signal-safe things: Server::stop() writes one
// byte to a pipe, nothing more. The pointer is set before the handlers are installed;
// a lock-free atomic is safe to read in a handler.
std::atomic<slow_server::Server*> running_server{nullptr};
static_assert(std::atomic<slow_server::Server*>::is_always_lock_free);

extern "C" void on_stop_signal(int) {
  // write() may set errno; the code this signal interrupted may be about to read it.
  const int saved_errno = errno;
  // The first signal drains (owed answers still go out); Server counts a second one as
  // "stop now".
  if (slow_server::Server* server = running_server.load()) server->drain();
  errno = saved_errno;
}

extern "C" void on_report_signal(int) {
  const int saved_errno = errno;
  if (slow_server::Server* server = running_server.load()) server->report();
  errno = saved_errno;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"slow_server: answers every request line after --delay seconds (docs/protocol.md)"};
  slow_server::ServerOptions options;
  slow_server::add_server_options(app, options);
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
    // Handlers first: whoever reads "listening on" may signal us at once, and must get
    // the graceful stop and the summary, not the default action (death, no summary).
    running_server = &server;
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    action.sa_handler = on_report_signal;
    ::sigaction(SIGUSR1, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);  // send_some() uses MSG_NOSIGNAL; this is belt and braces
    std::cout << "listening on " << options.host << ":" << server.port() << std::endl;

    server.run();

    running_server = nullptr;
    const slow_server::ServerStats stats = server.stats();
    // "still pending" are the answers dropped: owed when the drain was cut short (a second
    // signal, --drain-timeout). A drain that finished drops none.
    std::cerr << "slow_server: stopped; " << stats.pending_answers
              << " answers were still pending (dropped), " << stats.answers_sent_draining
              << " sent while draining (" << stats.answers_sent << " sent, "
              << stats.connections_accepted << " connections)\n";
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "slow_server: error: " << error.what() << "\n";
    return 1;
  }
}
