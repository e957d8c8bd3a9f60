// server_answers.cpp: writing answers on one connection: when its timer finds answers
// due, they move into its output buffer and the server writes as much as the kernel
// takes; the rest waits for the socket to be writable (or, --fault trickle, goes out one
// byte at a time).
#include <sys/socket.h>

#include "common/net.hpp"
#include "common/protocol.hpp"
#include "slow_server/server_impl.hpp"

namespace slow_server {

void Server::Impl::on_answer_due(Connection& connection) {
  if (connection.state != ConnectionState::reading &&
      connection.state != ConnectionState::answering_rest)
    return;
  if (connection.output.empty()) connection.output_waiting_since = now;  // --send-timeout
  while (!connection.pending.empty() && connection.pending.front().due <= now) {
    if (connection.faulty && options.fault == Fault::reset)
      return reset_with_half_answer(connection);
    // Into the output first, then out of `pending`: if memory runs out in between, the
    // answer is still counted once, as owed (server_impl.hpp, guarded()).
    const PendingAnswer& answer = connection.pending.front();
    connection.output.append_answer(common::protocol::response_text(answer.request) + "\n");
    connection.take_oldest();
  }
  write_output(connection);
}

void Server::Impl::write_output(Connection& connection) {
  if (!trickles(connection)) return flush(connection);
  if (!connection.trickle_at && !connection.output.empty()) connection.trickle_at = now;
  settle(connection);
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
  connection.output_waiting_since = now;  // progress: --send-timeout starts again
  return true;
}

void Server::Impl::on_trickle(Connection& connection) {
  connection.trickle_at.reset();
  if (trickles(connection) && !connection.output.empty()) {
    send_once(connection, 1);
    if (connection.state == ConnectionState::closed) return;
    if (!connection.output.empty()) connection.trickle_at = now + trickle_gap;
  }
  settle(connection);
}

void Server::Impl::reset_with_half_answer(Connection& connection) {
  const std::string line =
      common::protocol::response_text(connection.pending.front().request) + "\n";
  ++counters.faults_applied;
  connection.take_oldest();
  --counters.pending_answers;
  common::send_some(connection.socket.get(), std::string_view(line).substr(0, line.size() / 2));
  // SO_LINGER {on, 0 s}: close() discards what is unsent and sends RST instead of FIN.
  linger abort{1, 0};
  ::setsockopt(connection.socket.get(), SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
  close_connection(connection, "reset (--fault reset)");
}

bool Server::Impl::trickles(const Connection& connection) const {
  return connection.faulty && options.fault == Fault::trickle &&
         (connection.state == ConnectionState::reading ||
          connection.state == ConnectionState::answering_rest);
}

}  // namespace slow_server
