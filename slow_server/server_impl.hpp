// server_impl.hpp: the inside of slow_server::Server, shared by server.cpp (the loop,
// accepting, timers) and server_connection.cpp (what happens on one connection).
// Everything here runs on the loop's thread, except the Counters (atomics, read by
// stats() from any thread) and stop() (a write to the self-pipe).
#pragma once

#include <netinet/in.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.hpp"
#include "common/fd.hpp"
#include "common/selector.hpp"
#include "slow_server/connection.hpp"
#include "slow_server/server.hpp"
#include "slow_server/timer_queue.hpp"

namespace slow_server {

using common::Clock;
using common::TimePoint;

// The counters, written by the loop thread, read by stats() from any thread. Each is an
// atomic, so each number is exact; a snapshot is not one instant across all of them.
struct Counters {
  std::atomic<std::uint64_t> connections_accepted{0};
  std::atomic<std::uint64_t> connections_refused{0};
  std::atomic<std::uint64_t> requests_received{0};
  std::atomic<std::uint64_t> answers_sent{0};
  std::atomic<std::uint64_t> answers_dropped{0};
  std::atomic<std::uint64_t> lines_too_long{0};
  std::atomic<std::uint64_t> accept_pauses{0};
  std::atomic<std::uint64_t> faults_applied{0};
  std::atomic<std::size_t> open_connections{0};
  std::atomic<std::size_t> pending_answers{0};
  std::atomic<std::uint64_t> answers_sent_draining{0};
};

struct Server::Impl {
  Impl(ServerOptions options, std::ostream& log);

  // server.cpp: the loop, accepting, timers.
  void run();
  void stop() noexcept;
  void drain() noexcept;
  void on_wake();
  void start_draining();
  void shut_down();
  void accept_clients();
  void open_connection(common::Fd socket, const sockaddr_in& peer);
  void pause_accepting(int error);
  void resume_accepting();
  std::optional<std::chrono::nanoseconds> time_to_next_timer() const;
  void run_due_timers();
  void on_idle_check(Connection& connection);
  void note(const Connection& connection, std::string_view what);

  // server_connection.cpp: reading requests...
  void on_readable(Connection& connection);
  void on_bytes(Connection& connection, std::string_view bytes);
  void on_request(Connection& connection, std::string request);
  void on_client_closed(Connection& connection);
  void reject_line_too_long(Connection& connection);
  void finish(Connection& connection);
  // ... writing answers ...
  void on_answer_due(Connection& connection);
  void write_output(Connection& connection);
  void on_writable(Connection& connection);
  void flush(Connection& connection);
  bool send_once(Connection& connection, std::size_t limit);
  void on_trickle(Connection& connection);
  void reset_with_half_answer(Connection& connection, const PendingAnswer& answer);
  // ... and the life of a connection.
  void settle(Connection& connection);
  void watch(Connection& connection, std::uint32_t events);
  void close_connection(Connection& connection, std::string_view why);
  void drop_owed_answers(Connection& connection);
  bool trickles(const Connection& connection) const;

  const ServerOptions options;
  std::ostream& log;
  const Clock::duration delay;
  const Clock::duration idle_timeout;  // zero: never
  const Clock::duration trickle_gap;
  const Clock::duration drain_timeout;
  TimePoint now = Clock::now();  // refreshed after each wait and each read

  common::Fd listener;
  common::Fd wake_read, wake_write;  // the self-pipe stop() writes to
  std::unique_ptr<common::Selector> selector;
  TimerQueue timers;
  std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections;  // by serial
  // Closed this turn: freed after the turn, because a selector event later in the same
  // batch may still point at one.
  std::vector<std::unique_ptr<Connection>> closed;
  std::uint64_t next_serial = 1;
  bool accept_paused = false;
  bool warned_unwatchable = false;  // the selector refused a socket (select: fd >= 1024)
  bool stopping = false;
  bool draining = false;  // drain() came: no accepting, no reading, answers still sent
  std::vector<char> read_buffer = std::vector<char>(16 * 1024);
  Counters counters;

  // Selector data for the two sockets that are not connections.
  char listener_tag = 0;
  char wake_tag = 0;
};

}  // namespace slow_server
