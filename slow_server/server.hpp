// server.hpp: the slow server of the story, as a library.
//
// One thread, one Selector (epoll on Linux) and a timer queue: every request is answered
// `delay` seconds after its line arrived, for all clients at once. main.cpp only parses
// options and handles signals; tests start a Server on port 0 in a thread and stop it.
// The protocol it speaks is docs/protocol.md.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>

#include "common/fd.hpp"
#include "common/protocol.hpp"
#include "common/selector.hpp"

namespace slow_server {

enum class Framing {
  line,   // a request is a line ending in '\n' (the protocol)
  chunk,  // every chunk one read returns is a request (the article's sample server)
};

// Misbehaviour on purpose, for teaching and for the fault tests of every client.
// It applies to every `fault_every`-th connection accepted (1 = all of them).
enum class Fault {
  none,
  close_early,  // read the request, close without answering
  stall,        // read the request, never answer (the client's --timeout must end it)
  reset,        // write half the answer, then reset the connection (RST)
  trickle,      // write the answer one byte at a time, `trickle_gap` apart
};

struct ServerOptions {
  std::string host = std::string(common::protocol::default_host);
  std::uint16_t port = common::protocol::default_port;  // 0: pick a free port
  double delay_seconds = 5.0;
  Framing framing = Framing::line;
  std::size_t max_connections = 20000;
  double idle_timeout_seconds = 300.0;    // 0: never close an idle connection
  double request_timeout_seconds = 10.0;  // a line must be whole this long after its first
                                          // byte (nginx: client_header_timeout); 0: no limit
  double send_timeout_seconds = 60.0;     // owed output that makes no progress this long
                                          // closes the connection (nginx: send_timeout); 0: never
  double drain_timeout_seconds = 10.0;    // drain(): stop at once after this long
  // The memory budget (docs/protocol.md, "Limits"). One connection may owe this many
  // answers; past it the server takes no more of its lines until it reads some answers.
  std::size_t max_owed_per_connection = 4096;
  // All connections together: answers owed, and bytes held (read but not yet cut into
  // requests, the text of owed requests, answers not yet written). Once either is spent,
  // a connection is read only within a small reserve. 0: no such budget.
  std::size_t max_owed_answers = 250'000;
  std::size_t max_buffered_bytes = 64 << 20;
  bool verbose = false;  // one log line per connection event
  common::SelectorKind selector = common::default_selector_kind();
  Fault fault = Fault::none;
  std::size_t fault_every = 1;
  double trickle_gap_seconds = 0.002;
};

struct ServerStats {
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_refused = 0;  // past --max-connections
  std::uint64_t requests_received = 0;
  std::uint64_t answers_sent = 0;
  std::uint64_t answers_dropped = 0;  // the client left (or broke the protocol) first
  std::uint64_t lines_too_long = 0;
  std::uint64_t accept_pauses = 0;        // times accept() hit EMFILE/ENFILE and we paused
  std::uint64_t faults_applied = 0;       // requests (or connections) --fault mishandled on purpose
  std::uint64_t request_timeouts = 0;     // connections cut at --request-timeout
  std::uint64_t send_timeouts = 0;        // connections closed at --send-timeout
  std::uint64_t allocation_failures = 0;  // connections closed because memory ran out
  std::uint64_t bytes_received = 0;       // every byte read from a client
  std::size_t open_connections = 0;
  std::size_t pending_answers = 0;          // owed: not yet due, or due but not all written
                                            // (after run() returns: the answers never sent)
  std::uint64_t answers_sent_draining = 0;  // of answers_sent, those sent after drain()
  // What the server holds now, and the most it ever held: owed answers (the peak of
  // pending_answers), bytes held for clients (Connection::held_bytes, all connections),
  // and timers in its queue (one at most per connection).
  std::size_t pending_answers_peak = 0;
  std::size_t bytes_held = 0;
  std::size_t bytes_held_peak = 0;
  std::size_t timers = 0;
  std::size_t timers_peak = 0;
};

// One line for a person: "3 connections open, 12 answers owed (peak 4096), ...".
std::string describe(const ServerStats& stats);

class Server {
 public:
  // Binds and listens at once (so port() is known before run()); throws
  // common::NetError naming the address when it cannot, std::invalid_argument for a
  // negative delay, a zero fault_every or max_owed_per_connection. `log` gets --verbose
  // lines, warnings and report(); only the thread in run() writes to it.
  Server(ServerOptions options, std::ostream& log);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const noexcept { return port_; }

  // Serves until stop() is called (or a drain ends), then closes every connection and
  // returns.
  void run();
  // Asks run() to return at once; what is still owed is dropped (stats().pending_answers).
  // Safe from another thread and from a signal handler (it only writes one byte to a pipe).
  void stop() noexcept;
  // Asks for a graceful stop: stop accepting and reading, send every answer already owed
  // when it is due, then return; after drain_timeout_seconds, or on a second drain(),
  // return at once as stop() does. Safe where stop() is (one byte to the same pipe).
  void drain() noexcept;
  // Asks run() to write one line of counters (describe()) to the log. Safe where stop() is.
  void report() noexcept;

  // A snapshot of the counters; safe from another thread.
  ServerStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;  // defined in server_impl.hpp
  std::uint16_t port_ = 0;
};

}  // namespace slow_server
