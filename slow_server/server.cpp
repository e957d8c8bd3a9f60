// server.cpp: the slow server's loop. One thread, one Selector, one TimerQueue.
//
// The loop in run() does three things, over and over:
//   1. wait in the selector until a socket is ready or the earliest timer is due;
//   2. handle the ready sockets: accept new clients, read requests (each queued as a
//      PendingAnswer due `delay` later), write buffered output;
//   3. fire the due timers (one per connection, for its earliest deadline): move due
//      answers into the connection's output and write them, or close it at a deadline.
// Nothing ever blocks and nothing sleeps, so 10,000 clients waiting 5 s each cost one
// thread and a little memory, and every answer leaves `delay` after its request came in.
// Accepting is server_accept.cpp; what one connection does, server_requests.cpp and
// server_answers.cpp; its deadlines, server_timers.cpp; how much the server holds for all
// of them, server_budget.cpp.
#include "slow_server/server.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "common/net.hpp"
#include "slow_server/server_impl.hpp"

namespace slow_server {
namespace {

Clock::duration checked_seconds(double seconds, const char* name) {
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 1e9)
    throw std::invalid_argument(std::string(name) + " must be a number of seconds >= 0");
  return std::chrono::duration_cast<Clock::duration>(common::Seconds(seconds));
}

}  // namespace

Server::Impl::Impl(ServerOptions options_in, std::ostream& log_in)
    : options(std::move(options_in)),
      log(log_in),
      delay(checked_seconds(options.delay_seconds, "delay")),
      idle_timeout(checked_seconds(options.idle_timeout_seconds, "idle timeout")),
      request_timeout(checked_seconds(options.request_timeout_seconds, "request timeout")),
      send_timeout(checked_seconds(options.send_timeout_seconds, "send timeout")),
      trickle_gap(checked_seconds(options.trickle_gap_seconds, "trickle gap")),
      drain_timeout(checked_seconds(options.drain_timeout_seconds, "drain timeout")) {
  if (options.fault_every == 0) throw std::invalid_argument("fault_every must be >= 1");
  if (options.max_connections == 0) throw std::invalid_argument("max_connections must be >= 1");
  if (options.max_owed_per_connection == 0)
    throw std::invalid_argument("max_owed_per_connection must be >= 1");
  // The kernel caps the backlog at net.core.somaxconn; ask for plenty, floods are the point.
  listener = common::listen_tcp(options.host, options.port, 65535);
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_NONBLOCK | O_CLOEXEC) != 0) throw common::NetError("pipe", errno);
  wake_read.reset(pipe_fds[0]);
  wake_write.reset(pipe_fds[1]);
  selector = common::make_selector(options.selector);
  selector->register_fd(listener.get(), common::EVENT_READ, &listener_tag);
  selector->register_fd(wake_read.get(), common::EVENT_READ, &wake_tag);
}

// ---------------------------------------------------------------------------------
// The loop.

// [docs:slow-server-loop]
void Server::Impl::run() {
  while (!stopping) {
    auto events = selector->select(time_to_next_timer());
    now = Clock::now();
    for (const common::SelectorEvent& event : events) {
      if (event.data == &wake_tag) {
        on_wake();
      } else if (event.data == &listener_tag) {
        if (!draining) accept_clients();  // closed when the drain began, earlier this turn
      } else {
        auto& connection = *static_cast<Connection*>(event.data);
        guarded(connection, [&] {  // out of memory: this connection closes, not the server
          if (event.events & common::EVENT_READ) on_readable(connection);
          if (event.events & common::EVENT_WRITE) on_writable(connection);
        });
      }
    }
    run_due_timers();
    resume_held_back();  // the budget has room again: the connections it stopped go on
    free_closed();
    if (draining && counters.pending_answers == 0) stopping = true;  // all promises kept
  }
  shut_down();
}
// [/docs]

// The self-pipe carries one byte per request: 's' for stop(), 'd' for drain(), 'r' for
// report().
constexpr char stop_byte = 's';
constexpr char drain_byte = 'd';
constexpr char report_byte = 'r';

void Server::Impl::stop() noexcept {
  // write() is async-signal-safe: this is all a signal handler may do. The loop sees the
  // pipe readable and reads what was asked (on_wake).
  [[maybe_unused]] auto written = ::write(wake_write.get(), &stop_byte, 1);
}

void Server::Impl::drain() noexcept {
  [[maybe_unused]] auto written = ::write(wake_write.get(), &drain_byte, 1);
}

void Server::Impl::report() noexcept {
  [[maybe_unused]] auto written = ::write(wake_write.get(), &report_byte, 1);
}

void Server::Impl::on_wake() {
  char bytes[64];
  ssize_t got;
  // Read the pipe empty: level-triggered, a byte left in it would wake us forever.
  while ((got = ::read(wake_read.get(), bytes, sizeof bytes)) > 0) {
    for (ssize_t i = 0; i < got; ++i) {
      if (bytes[i] == report_byte) {
        counters.timers = timers.size();
        log << "slow_server: " << describe(server_stats(counters)) << std::endl;
        continue;
      }
      // A second drain() (the user pressed Ctrl-C again) means: do not wait any longer.
      if (bytes[i] == stop_byte || draining) {
        stopping = true;
      } else {
        start_draining();
      }
    }
  }
}

// Keep every promise already made, make no new one: no new clients, no new requests.
void Server::Impl::start_draining() {
  draining = true;
  // Closing the listener (not only ignoring it) makes the kernel refuse new connections
  // at once, and reset the ones waiting in the backlog, instead of leaving them hanging.
  if (!accept_paused) selector->unregister(listener.get());
  listener.reset();
  // settle() may close a connection, which erases it from the map: not while iterating it.
  std::vector<Connection*> readers;
  for (auto& [serial, connection] : connections)
    if (connection->state == ConnectionState::reading) readers.push_back(connection.get());
  for (Connection* connection : readers) {
    // As if the client had half-closed: answer what it asked, then close (at once if it
    // is owed nothing). Lines it sends from now on are not read (docs/protocol.md), nor
    // lines already read that the limits held back.
    connection->state = ConnectionState::answering_rest;
    guarded(*connection, [&] { settle(*connection); });
  }
  drain_deadline = now + drain_timeout;
}

void Server::Impl::shut_down() {
  // What is still owed stays in pending_answers: main reports it.
  for (auto& [serial, connection] : connections) {
    if (connection->interest != 0) selector->unregister(connection->socket.get());
    connection->socket.reset();
  }
  connections.clear();
  free_closed();
  counters.open_connections = 0;
}

void Server::Impl::free_closed() {
  // One at a time: a chain of unique_ptrs freed from its head would recurse once per link.
  while (closed) closed = std::move(closed->next_closed);
}

// ---------------------------------------------------------------------------------
// Log lines.

void Server::Impl::note(const Connection& connection, std::string_view what) {
  if (!options.verbose) return;
  try {
    log << "connection " << connection.serial << " from " << connection.peer_text() << ": " << what
        << "\n";
  } catch (const std::bad_alloc&) {  // a log line is not worth a connection, nor the server
  }
}

// ---------------------------------------------------------------------------------
// The public face.

Server::Server(ServerOptions options, std::ostream& log)
    : impl_(std::make_unique<Impl>(std::move(options), log)),
      port_(common::local_port(impl_->listener.get())) {}

Server::~Server() = default;

void Server::run() {
  impl_->run();
}

void Server::stop() noexcept {
  impl_->stop();
}

void Server::drain() noexcept {
  impl_->drain();
}

void Server::report() noexcept {
  impl_->report();
}

ServerStats Server::stats() const {
  return server_stats(impl_->counters);
}

}  // namespace slow_server
