// server_requests.cpp: reading requests on one connection: read bytes (as many as the
// limits allow), cut them into lines, take each line as a request owed an answer `delay`
// later, and refuse a connection that breaks the protocol (a line too long, or not whole
// in time). server_answers.cpp writes the answers.
#include <sys/socket.h>

#include "common/net.hpp"
#include "common/protocol.hpp"
#include "slow_server/server_impl.hpp"

namespace slow_server {

void Server::Impl::on_readable(Connection& connection) {
  const auto state = connection.state;
  if (state != ConnectionState::reading && state != ConnectionState::lingering) return;
  std::span<char> buffer(read_buffer);
  if (state == ConnectionState::reading) {
    // Back-pressure: read no more than this connection may hold now. The budget may have
    // been spent by others since settle() asked for this event.
    const std::size_t allowance = room(connection).bytes;
    if (allowance == 0) return settle(connection);
    buffer = buffer.first(std::min(allowance, buffer.size()));
  }
  common::IoResult result = common::recv_some(connection.socket.get(), buffer);
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
  counters.bytes_received += result.bytes;
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
    if (bytes.size() > common::protocol::max_line_bytes) {
      ++counters.lines_too_long;
      return refuse(connection, common::protocol::line_too_long);
    }
    on_request(connection, std::string(bytes));
    return settle(connection);
  }
  connection.framer.feed(bytes);
  start_line_clock(connection, bytes);  // --request-timeout
  take_requests(connection);
}
// [/docs]

// [docs:slow-server-take-requests]
// Takes line after line as a request while the connection may owe more answers. The
// limit holds per line: one read of 16 KiB of '\n' is 16,384 requests, and the server
// takes no more of them than the limit; the rest wait in the framer until answers go out.
void Server::Impl::take_requests(Connection& connection) {
  connection.lines_waiting = false;
  while (true) {
    if (!room(connection).requests) {
      connection.lines_waiting = true;
      break;
    }
    auto line = connection.framer.next_line();
    if (!line) break;
    on_request(connection, std::move(*line));
    if (connection.state != ConnectionState::reading) return;  // --fault close-early
  }
  if (connection.framer.too_long()) {
    ++counters.lines_too_long;
    return refuse(connection, common::protocol::line_too_long);
  }
  settle(connection);
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
  connection.owe(now + delay, std::move(request));  // the connection's timer: settle()
  ++counters.pending_answers;
  raise_peak(counters.pending_answers_peak, counters.pending_answers);
}
// [/docs]

void Server::Impl::on_client_closed(Connection& connection) {
  // A half-close (shutdown(SHUT_WR)) and a full close look the same from here: both
  // are a FIN. The protocol says: the unterminated rest is a request, every request
  // is still answered, then we close. (We read only once every whole line was taken,
  // so the rest is one partial line.)
  note(connection, "client closed its side");
  if (options.framing == Framing::line) {
    if (auto rest = connection.framer.take_rest()) on_request(connection, std::move(*rest));
  }
  connection.line_started.reset();
  if (connection.state != ConnectionState::reading) return;  // --fault close-early
  connection.state = ConnectionState::answering_rest;
  settle(connection);
}

// The client broke the protocol: write the error line at once, then close.
void Server::Impl::refuse(Connection& connection, std::string_view error_line) {
  note(connection, error_line.substr(0, error_line.size() - 1));
  if (connection.output.empty()) connection.output_waiting_since = now;
  connection.output.append(error_line);
  finish(connection);
}

// No more requests from this connection: drop what is owed, write what is already
// queued (answers already due, the error line), then shut down our side.
void Server::Impl::finish(Connection& connection) {
  const std::size_t dropped = connection.drop_pending();
  counters.answers_dropped += dropped;
  counters.pending_answers -= dropped;
  connection.state = ConnectionState::finishing;
  connection.line_started.reset();
  flush(connection);
}

}  // namespace slow_server
