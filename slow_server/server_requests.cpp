// server_connection.cpp: what the server does on one connection: read bytes, cut them
// into requests, queue each answer for its due time, write answers when due (as much as
// the kernel takes; the rest when the socket is writable), and move the connection
// through its states (connection.hpp) until it is closed.
#include <sys/socket.h>

#include "common/net.hpp"
#include "common/protocol.hpp"
#include "slow_server/server_impl.hpp"

namespace slow_server {
namespace {

// After our last write to a client we must close (an error, close-early), we shut down
// our side and read until the client closes, at most this long. Closing at once with
// unread input would make the kernel send a reset, which can destroy the error line
// before the client reads it.
constexpr std::chrono::seconds linger_time{2};
// Back-pressure: a client that sends requests but never reads answers stops being read
// once it has this many answers owed or this many bytes waiting to be written.
constexpr std::size_t max_owed_answers = 4096;
constexpr std::size_t max_buffered_output = 1 << 20;

}  // namespace

// ---------------------------------------------------------------------------------
// Reading requests.

void Server::Impl::on_readable(Connection& connection) {
  const auto state = connection.state;
  if (state != ConnectionState::reading && state != ConnectionState::lingering) return;
  common::IoResult result = common::recv_some(connection.socket.get(), read_buffer);
  // The delay counts from now: these bytes may have come in after select() returned.
  now = Clock::now();
  if (result.status == common::IoStatus::would_block) return;
  if (result.status == common::IoStatus::error) {
    close_connection(connection, "recv failed: " + common::errno_text(result.error));
    return;
  }
  if (state == ConnectionState::lingering) {  // we said all we had to say; discard input
    if (result.status == common::IoStatus::closed) close_connection(connection, "closed");
    return;
  }
  if (result.status == common::IoStatus::closed) {
    on_client_closed(connection);
    return;
  }
  connection.last_activity = now;
  on_bytes(connection, std::string_view(read_buffer.data(), result.bytes));
}

// [docs:slow-server-framing]
void Server::Impl::on_bytes(Connection& connection, std::string_view bytes) {
  if (options.framing == Framing::chunk) {
    // The article's server: whatever one read returned is a request. TCP never promised
    // that one send() arrives as one read, so this is wrong in general (docs/protocol.md).
    if (bytes.ends_with('\n')) bytes.remove_suffix(1);
    if (bytes.ends_with('\r')) bytes.remove_suffix(1);
    if (bytes.size() > common::protocol::max_line_bytes) return reject_line_too_long(connection);
    return on_request(connection, std::string(bytes));
  }
  connection.framer.feed(bytes);
  while (auto line = connection.framer.next_line()) {
    on_request(connection, std::move(*line));
    if (connection.state != ConnectionState::reading) return;  // --fault close-early
  }
  if (connection.framer.too_long()) reject_line_too_long(connection);
}
// [/docs]

// [docs:slow-server-request]
void Server::Impl::on_request(Connection& connection, std::string request) {
  ++counters.requests_received;
  if (connection.faulty && options.fault == Fault::close_early) {
    ++counters.faults_applied;
    return finish(connection);  // read it, close without an answer
  }
  if (connection.faulty && options.fault == Fault::stall) {
    ++counters.faults_applied;
    return;  // read it, never answer
  }
  const TimePoint due = now + delay;
  connection.pending.push_back({due, std::move(request)});
  ++counters.pending_answers;
  timers.add(due, TimerKind::answer, connection.serial);
  settle(connection);  // too many answers owed: stop reading for now
}
// [/docs]

void Server::Impl::on_client_closed(Connection& connection) {
  // A half-close (shutdown(SHUT_WR)) and a full close look the same from here: both
  // are a FIN. The protocol says: the unterminated rest is a request, every request
  // is still answered, then we close.
  note(connection, "client closed its side");
  if (options.framing == Framing::line) {
    if (auto rest = connection.framer.take_rest()) on_request(connection, std::move(*rest));
  }
  if (connection.state != ConnectionState::reading) return;  // --fault close-early
  connection.state = ConnectionState::answering_rest;
  settle(connection);
}

void Server::Impl::reject_line_too_long(Connection& connection) {
  ++counters.lines_too_long;
  note(connection, "line too long");
  connection.output.append(common::protocol::line_too_long);
  finish(connection);
}

// No more requests from this connection: drop what is owed, write what is already
// queued (answers already due, the error line), then shut down our side.
void Server::Impl::finish(Connection& connection) {
  counters.answers_dropped += connection.pending.size();
  counters.pending_answers -= connection.pending.size();
  connection.pending.clear();
  connection.state = ConnectionState::finishing;
  flush(connection);
}

// ---------------------------------------------------------------------------------
// Writing answers, and what follows.

void Server::Impl::on_answer_due(Connection& connection) {
  if (connection.state != ConnectionState::reading &&
      connection.state != ConnectionState::answering_rest)
    return;
  // One timer per answer, but this takes every answer that is due: a later timer of
  // the same connection may find nothing left, which is fine.
  while (!connection.pending.empty() && connection.pending.front().due <= now) {
    PendingAnswer answer = std::move(connection.pending.front());
    connection.pending.pop_front();
    if (connection.faulty && options.fault == Fault::reset)
      return reset_with_half_answer(connection, answer);
    connection.output.append_answer(common::protocol::response_text(answer.request) + "\n");
  }
  write_output(connection);
}

void Server::Impl::write_output(Connection& connection) {
  if (!trickles(connection)) return flush(connection);
  if (!connection.trickle_scheduled && !connection.output.empty()) {
    connection.trickle_scheduled = true;
    timers.add(now, TimerKind::trickle, connection.serial);
  }
}

void Server::Impl::on_writable(Connection& connection) {
  if (connection.state == ConnectionState::closed) return;
  flush(connection);
}

// Writes as much of the output as the kernel takes now; the rest waits for EVENT_WRITE.
void Server::Impl::flush(Connection& connection) {
  while (!connection.output.empty() && send_once(connection, std::string_view::npos)) {
  }
  settle(connection);
}

// One send() of at most `limit` bytes of the output. False when the kernel took nothing
// (its buffer is full) or the send failed (and the connection is closed).
bool Server::Impl::send_once(Connection& connection, std::size_t limit) {
  common::IoResult result =
      common::send_some(connection.socket.get(), connection.output.unsent().substr(0, limit));
  if (result.status == common::IoStatus::would_block) return false;
  if (result.status != common::IoStatus::ok) {
    close_connection(connection, "send failed: " + common::errno_text(result.error));
    return false;
  }
  const std::size_t finished = connection.output.consume(result.bytes);
  counters.answers_sent += finished;
  if (draining) counters.answers_sent_draining += finished;
  counters.pending_answers -= finished;
  connection.last_activity = now;
  return true;
}

// After anything changed: move on in the connection's life, and watch what it needs.
void Server::Impl::settle(Connection& connection) {
  const bool written = connection.output.empty();
  switch (connection.state) {
    case ConnectionState::reading: {
      const bool room =
          connection.pending.size() + connection.output.unfinished_answers() < max_owed_answers &&
          connection.output.size() < max_buffered_output;
      const bool writing = !written && !trickles(connection);
      watch(connection, (room ? common::EVENT_READ : 0u) | (writing ? common::EVENT_WRITE : 0u));
      return;
    }
    case ConnectionState::answering_rest:
      if (connection.pending.empty() && written)
        return close_connection(connection, "answered everything; closed");
      watch(connection, written || trickles(connection) ? 0u : common::EVENT_WRITE);
      return;
    case ConnectionState::finishing:
      if (!written) return watch(connection, common::EVENT_WRITE);
      // Our FIN goes after the last byte; the client reads everything, then EOF.
      ::shutdown(connection.socket.get(), SHUT_WR);
      connection.state = ConnectionState::lingering;
      timers.add(now + linger_time, TimerKind::linger_end, connection.serial);
      return watch(connection, common::EVENT_READ);
    case ConnectionState::lingering:
    case ConnectionState::closed:
      return;
  }
}

// Tells the selector what to watch for. Nothing to watch: unregister, because a
// registered socket whose peer reset would report an error forever (level-triggered)
// and spin the loop.
void Server::Impl::watch(Connection& connection, std::uint32_t events) {
  if (events == connection.interest) return;
  const int fd = connection.socket.get();
  if (events == 0) {
    selector->unregister(fd);
  } else if (connection.interest == 0) {
    selector->register_fd(fd, events, &connection);
  } else {
    selector->modify(fd, events, &connection);
  }
  connection.interest = events;
}

void Server::Impl::on_trickle(Connection& connection) {
  connection.trickle_scheduled = false;
  if (trickles(connection) && !connection.output.empty()) {
    send_once(connection, 1);
    if (connection.state == ConnectionState::closed) return;
    if (!connection.output.empty()) {
      connection.trickle_scheduled = true;
      timers.add(now + trickle_gap, TimerKind::trickle, connection.serial);
    }
  }
  settle(connection);
}

void Server::Impl::reset_with_half_answer(Connection& connection, const PendingAnswer& answer) {
  ++counters.faults_applied;
  --counters.pending_answers;
  const std::string line = common::protocol::response_text(answer.request) + "\n";
  common::send_some(connection.socket.get(), std::string_view(line).substr(0, line.size() / 2));
  // SO_LINGER {on, 0 s}: close() discards what is unsent and sends RST instead of FIN.
  linger abort{1, 0};
  ::setsockopt(connection.socket.get(), SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
  close_connection(connection, "reset (--fault reset)");
}

void Server::Impl::drop_owed_answers(Connection& connection) {
  const std::size_t owed = connection.pending.size() + connection.output.unfinished_answers();
  connection.pending.clear();
  counters.answers_dropped += owed;
  counters.pending_answers -= owed;
}

void Server::Impl::close_connection(Connection& connection, std::string_view why) {
  if (connection.state == ConnectionState::closed) return;
  drop_owed_answers(connection);
  watch(connection, 0);
  connection.socket.reset();
  connection.state = ConnectionState::closed;
  --counters.open_connections;
  note(connection, why);
  auto node = connections.extract(connection.serial);
  closed.push_back(std::move(node.mapped()));
  resume_accepting();  // a descriptor is free again
}

bool Server::Impl::trickles(const Connection& connection) const {
  return connection.faulty && options.fault == Fault::trickle &&
         (connection.state == ConnectionState::reading ||
          connection.state == ConnectionState::answering_rest);
}

}  // namespace slow_server
