// server_timers.cpp: when things happen. Each connection has at most one timer in the
// queue, set for the earliest of its deadlines:
//   - its oldest owed answer falls due (`--delay` after its request arrived);
//   - the line it is sending must be whole (`--request-timeout` after its first byte);
//   - output it is owed must make progress (`--send-timeout` since the last send took bytes);
//   - it has been quiet and is owed nothing (`--idle-timeout`);
//   - a linger ends, or (--fault trickle) the next byte is due.
// When the timer fires, on_timer() looks at all of them and settle() sets the next one.
// Two more deadlines belong to the server, not to a connection: the end of an accept
// pause and the end of a drain.
#include <algorithm>

#include "common/protocol.hpp"
#include "slow_server/server_impl.hpp"

namespace slow_server {
namespace {

void keep_earliest(std::optional<TimePoint>& earliest, TimePoint candidate) {
  if (!earliest || candidate < *earliest) earliest = candidate;
}

}  // namespace

std::optional<std::chrono::nanoseconds> Server::Impl::time_to_next_timer() const {
  std::optional<TimePoint> due = timers.next_due();
  if (accept_resume) keep_earliest(due, *accept_resume);
  if (drain_deadline) keep_earliest(due, *drain_deadline);
  if (!due) return std::nullopt;
  return std::max(std::chrono::nanoseconds::zero(), *due - Clock::now());
}

void Server::Impl::run_due_timers() {
  now = Clock::now();
  if (accept_resume && *accept_resume <= now) {
    accept_resume.reset();  // even when draining, which does not resume: else it spins
    resume_accepting();
  }
  if (drain_deadline && *drain_deadline <= now) {
    stopping = true;  // what is still owed is dropped: main reports how many
    return;
  }
  while (auto serial = timers.pop_due(now)) {
    auto found = connections.find(*serial);
    if (found == connections.end()) continue;  // closed connections take their timer along
    Connection& connection = *found->second;
    guarded(connection, [&] { on_timer(connection); });
  }
  counters.timers = timers.size();
}

// --request-timeout counts from the first byte of a line, however slowly the rest comes:
// `bytes` were just read; a line that began in them began now.
void Server::Impl::start_line_clock(Connection& connection, std::string_view bytes) {
  if (const auto last_newline = bytes.rfind('\n'); last_newline != bytes.npos) {
    connection.line_started.reset();
    if (last_newline + 1 < bytes.size()) connection.line_started = now;
  } else if (!connection.line_started) {
    connection.line_started = now;
  }
}

// The request deadline counts only while the server reads from the connection: a line
// the limits stopped us reading (back-pressure) is not the client's delay.
bool Server::Impl::reading_now(const Connection& connection) const {
  return connection.state == ConnectionState::reading &&
         (connection.interest & common::EVENT_READ) != 0;
}

std::optional<TimePoint> Server::Impl::next_deadline(const Connection& connection) const {
  if (connection.state == ConnectionState::closed) return std::nullopt;
  if (connection.state == ConnectionState::lingering) return connection.linger_until;
  std::optional<TimePoint> next;
  if (!connection.pending.empty()) keep_earliest(next, connection.pending.front().due);
  if (connection.trickle_at) keep_earliest(next, *connection.trickle_at);
  if (request_timeout.count() > 0 && connection.line_started && reading_now(connection))
    keep_earliest(next, *connection.line_started + request_timeout);
  if (send_timeout.count() > 0 && !connection.output.empty())
    keep_earliest(next, connection.output_waiting_since + send_timeout);
  if (idle_timeout.count() > 0 && connection.pending.empty())
    keep_earliest(next, connection.last_activity + idle_timeout);
  return next;
}

// Called by settle() after every change. A deadline that moved later (another byte read
// pushes the idle check back) keeps the earlier timer: it fires, finds nothing due, and
// is set again. That saves moving the timer in the queue on every read.
void Server::Impl::arm_timer(Connection& connection) {
  const std::optional<TimePoint> next = next_deadline(connection);
  if (!next) {
    timers.cancel(connection.serial);
  } else if (auto armed = timers.due(connection.serial); !armed || *next < *armed) {
    timers.schedule(connection.serial, *next);
  }
  counters.timers = timers.size();
  raise_peak(counters.timers_peak, timers.size());
}

void Server::Impl::on_timer(Connection& connection) {
  if (connection.state == ConnectionState::lingering) {
    if (now >= connection.linger_until) return close_connection(connection, "closed");
    return settle(connection);
  }
  // What is due goes out first: a deadline below closes the connection, and the answers
  // already due are still written before its error line (docs/protocol.md).
  if (connection.trickle_at && *connection.trickle_at <= now) on_trickle(connection);
  if (!connection.pending.empty() && connection.pending.front().due <= now)
    on_answer_due(connection);
  if (connection.state == ConnectionState::closed) return;
  if (request_timeout.count() > 0 && connection.line_started && reading_now(connection) &&
      now >= *connection.line_started + request_timeout) {
    ++counters.request_timeouts;  // slowloris: a byte now and then, never a whole line
    return refuse(connection, common::protocol::request_timeout);
  }
  if (send_timeout.count() > 0 && !connection.output.empty() &&
      now >= connection.output_waiting_since + send_timeout) {
    ++counters.send_timeouts;  // the client does not read what it asked for
    return close_connection(connection, "send timeout");
  }
  if (idle_timeout.count() > 0 && connection.pending.empty() &&
      now >= connection.last_activity + idle_timeout)
    return close_connection(connection, "idle timeout");
  settle(connection);  // sets the next timer
}

}  // namespace slow_server
