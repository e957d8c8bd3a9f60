// server_connection.cpp: the life of one connection (connection.hpp has its states):
// after anything changed, settle() moves it on, tells the selector what to watch and
// sets its timer; close_connection() ends it and gives back all it held.
#include <sys/socket.h>

#include "slow_server/server_impl.hpp"

namespace slow_server {
namespace {

// After our last write to a client we must close (an error, close-early), we shut down
// our side and read until the client closes, at most this long. Closing at once with
// unread input would make the kernel send a reset, which can destroy the error line
// before the client reads it.
constexpr std::chrono::seconds linger_time{2};

}  // namespace

// After anything changed: move on in the connection's life, watch what it needs, and set
// its timer for its next deadline.
void Server::Impl::settle(Connection& connection) {
  count_bytes(connection);
  const bool written = connection.output.empty();
  switch (connection.state) {
    case ConnectionState::reading: {
      // Room again (answers went out): the lines already read come before new bytes.
      if (connection.lines_waiting && room(connection).requests) return take_requests(connection);
      const Room room_now = room(connection);
      const Room own = room(connection, /*with_budget=*/false);
      const bool was_reading = reading_now(connection);
      const bool writing = !written && !trickles(connection);
      watch(connection,
            (room_now.bytes > 0 ? common::EVENT_READ : 0u) | (writing ? common::EVENT_WRITE : 0u));
      if ((own.requests && !room_now.requests) || (own.bytes > 0 && room_now.bytes == 0))
        hold_back(connection);
      // --request-timeout counts while we read: a partial line we stopped reading (back-
      // pressure) starts its count again when we read on.
      if (!was_reading && reading_now(connection) && connection.framer.buffered_bytes() > 0)
        connection.line_started = now;
      break;
    }
    case ConnectionState::answering_rest:
      if (connection.pending.empty() && written)
        return close_connection(connection, "answered everything; closed");
      watch(connection, written || trickles(connection) ? 0u : common::EVENT_WRITE);
      break;
    case ConnectionState::finishing:
      if (!written) {
        watch(connection, common::EVENT_WRITE);
        break;
      }
      // Our FIN goes after the last byte; the client reads everything, then EOF.
      ::shutdown(connection.socket.get(), SHUT_WR);
      connection.state = ConnectionState::lingering;
      connection.linger_until = now + linger_time;
      watch(connection, common::EVENT_READ);
      break;
    case ConnectionState::lingering:
      break;
    case ConnectionState::closed:
      return;
  }
  arm_timer(connection);
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

void Server::Impl::drop_owed_answers(Connection& connection) {
  const std::size_t owed = connection.drop_pending() + connection.output.unfinished_answers();
  counters.answers_dropped += owed;
  counters.pending_answers -= owed;
}

// Allocates nothing: it is also how the server gets out of an allocation failure.
void Server::Impl::close_connection(Connection& connection, std::string_view why) {
  if (connection.state == ConnectionState::closed) return;
  drop_owed_answers(connection);
  watch(connection, 0);
  connection.socket.reset();
  connection.state = ConnectionState::closed;
  count_bytes(connection);           // its bytes go back to the budget
  timers.cancel(connection.serial);  // and its timer out of the queue, now
  held_back.erase(connection.serial);
  counters.timers = timers.size();
  --counters.open_connections;
  note(connection, why);
  auto node = connections.extract(connection.serial);
  node.mapped()->next_closed = std::move(closed);
  closed = std::move(node.mapped());
  resume_accepting();  // a descriptor is free again
}

}  // namespace slow_server
