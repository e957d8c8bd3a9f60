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
#include <new>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
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
  std::atomic<std::uint64_t> request_timeouts{0};
  std::atomic<std::uint64_t> send_timeouts{0};
  std::atomic<std::uint64_t> allocation_failures{0};
  std::atomic<std::uint64_t> bytes_received{0};
  std::atomic<std::size_t> open_connections{0};
  std::atomic<std::size_t> pending_answers{0};
  std::atomic<std::uint64_t> answers_sent_draining{0};
  std::atomic<std::size_t> pending_answers_peak{0};
  std::atomic<std::size_t> bytes_held{0};  // the sum of every connection's counted_bytes
  std::atomic<std::size_t> bytes_held_peak{0};
  std::atomic<std::size_t> timers{0};
  std::atomic<std::size_t> timers_peak{0};
};

// A snapshot for Server::stats() (server_stats.cpp).
ServerStats server_stats(const Counters& counters);

// Only the loop thread writes a peak, so a load and a store are enough.
inline void raise_peak(std::atomic<std::size_t>& peak, std::size_t value) {
  if (value > peak.load(std::memory_order_relaxed)) peak.store(value, std::memory_order_relaxed);
}

// What one connection may take now (server_budget.cpp): more requests out of the lines it
// sent, and how many bytes one read may bring.
struct Room {
  bool requests = false;
  std::size_t bytes = 0;
};

struct Server::Impl {
  Impl(ServerOptions options, std::ostream& log);

  // server.cpp: the loop, accepting, stopping.
  void run();
  void stop() noexcept;
  void drain() noexcept;
  void report() noexcept;
  void on_wake();
  void start_draining();
  void shut_down();
  void accept_clients();
  void open_connection(common::Fd socket, const sockaddr_in& peer);
  void pause_accepting(int error);
  void resume_accepting();
  void free_closed();
  void note(const Connection& connection, std::string_view what);

  // server_timers.cpp: one timer per connection, for the earliest of its deadlines.
  std::optional<std::chrono::nanoseconds> time_to_next_timer() const;
  void run_due_timers();
  void on_timer(Connection& connection);
  void arm_timer(Connection& connection);
  std::optional<TimePoint> next_deadline(const Connection& connection) const;
  bool reading_now(const Connection& connection) const;
  void start_line_clock(Connection& connection, std::string_view bytes);

  // server_requests.cpp: reading requests.
  void on_readable(Connection& connection);
  void on_bytes(Connection& connection, std::string_view bytes);
  void take_requests(Connection& connection);
  void on_request(Connection& connection, std::string request);
  void on_client_closed(Connection& connection);
  void refuse(Connection& connection, std::string_view error_line);
  void finish(Connection& connection);

  // server_answers.cpp: writing answers.
  void on_answer_due(Connection& connection);
  void write_output(Connection& connection);
  void on_writable(Connection& connection);
  void flush(Connection& connection);
  bool send_once(Connection& connection, std::size_t limit);
  void on_trickle(Connection& connection);
  void reset_with_half_answer(Connection& connection);
  bool trickles(const Connection& connection) const;

  // server_budget.cpp: the limits, the global budget and back-pressure.
  Room room(const Connection& connection, bool with_budget = true) const;
  bool owed_budget_spent() const;
  void count_bytes(Connection& connection);
  void hold_back(Connection& connection);
  void resume_held_back();

  // server_connection.cpp: the life of a connection.
  void settle(Connection& connection);
  void watch(Connection& connection, std::uint32_t events);
  void close_connection(Connection& connection, std::string_view why);
  void drop_owed_answers(Connection& connection);
  // Runs `step` on one connection: if memory runs out, that connection is closed, and
  // the server and every other connection go on.
  template <typename Step>
  void guarded(Connection& connection, Step step);

  const ServerOptions options;
  std::ostream& log;
  const Clock::duration delay;
  const Clock::duration idle_timeout;     // zero: never
  const Clock::duration request_timeout;  // zero: never
  const Clock::duration send_timeout;     // zero: never
  const Clock::duration trickle_gap;
  const Clock::duration drain_timeout;
  TimePoint now = Clock::now();  // refreshed after each wait and each read

  common::Fd listener;
  common::Fd wake_read, wake_write;  // the self-pipe stop(), drain() and report() write to
  std::unique_ptr<common::Selector> selector;
  TimerQueue timers;                        // the connections' timers, by serial
  std::optional<TimePoint> accept_resume;   // accepting paused (EMFILE) until then
  std::optional<TimePoint> drain_deadline;  // draining: stop at once then
  std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections;  // by serial
  // Closed this turn, linked through Connection::next_closed: freed after the turn,
  // because a selector event later in the same batch may still point at one.
  std::unique_ptr<Connection> closed;
  // Connections the global budget stopped (their own limits would not have): they get
  // another look when the budget has room again.
  std::unordered_set<std::uint64_t> held_back;
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

template <typename Step>
void Server::Impl::guarded(Connection& connection, Step step) {
  try {
    step();
  } catch (const std::bad_alloc&) {
    // Every step leaves each owed answer counted in exactly one place (pending or the
    // output), so closing here keeps the counters right. Closing allocates nothing.
    ++counters.allocation_failures;
    close_connection(connection, "out of memory");
  }
}

}  // namespace slow_server
