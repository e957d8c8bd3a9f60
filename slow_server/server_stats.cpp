// server_stats.cpp: the counters as ServerStats (Server::stats(), from any thread), and
// as one line for a person (SIGUSR1, docs/protocol.md).
#include <sstream>

#include "slow_server/server_impl.hpp"

namespace slow_server {

ServerStats server_stats(const Counters& counters) {
  ServerStats stats;
  stats.connections_accepted = counters.connections_accepted;
  stats.connections_refused = counters.connections_refused;
  stats.requests_received = counters.requests_received;
  stats.answers_sent = counters.answers_sent;
  stats.answers_dropped = counters.answers_dropped;
  stats.lines_too_long = counters.lines_too_long;
  stats.accept_pauses = counters.accept_pauses;
  stats.faults_applied = counters.faults_applied;
  stats.request_timeouts = counters.request_timeouts;
  stats.send_timeouts = counters.send_timeouts;
  stats.allocation_failures = counters.allocation_failures;
  stats.bytes_received = counters.bytes_received;
  stats.open_connections = counters.open_connections;
  stats.pending_answers = counters.pending_answers;
  stats.answers_sent_draining = counters.answers_sent_draining;
  stats.pending_answers_peak = counters.pending_answers_peak;
  stats.bytes_held = counters.bytes_held;
  stats.bytes_held_peak = counters.bytes_held_peak;
  stats.timers = counters.timers;
  stats.timers_peak = counters.timers_peak;
  return stats;
}

std::string describe(const ServerStats& stats) {
  std::ostringstream line;
  line << stats.open_connections << " connections open (" << stats.connections_accepted
       << " accepted, " << stats.connections_refused << " refused), " << stats.pending_answers
       << " answers owed (peak " << stats.pending_answers_peak << "), " << stats.bytes_held
       << " bytes held (peak " << stats.bytes_held_peak << "), " << stats.timers << " timers (peak "
       << stats.timers_peak << "); " << stats.requests_received << " requests, "
       << stats.answers_sent << " answered, " << stats.answers_dropped << " dropped; "
       << stats.bytes_received << " bytes read; closed: " << stats.lines_too_long
       << " line too long, " << stats.request_timeouts << " request timeout, "
       << stats.send_timeouts << " send timeout, " << stats.allocation_failures << " out of memory";
  return line.str();
}

}  // namespace slow_server
