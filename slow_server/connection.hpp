// connection.hpp: what the server keeps for one client connection.
//
// A Connection owns its socket (common::Fd closes it), the bytes received but not yet
// cut into requests (a LineFramer), the answers it still owes (each with the time it is
// due) and the bytes of answers that are due but not yet written (an OutputBuffer: a
// send() may take only part of them), and the times its deadlines count from. The
// server's table owns every Connection; the selector and the timer queue only refer to
// it (by pointer and by serial number).
#pragma once

#include <netinet/in.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/fd.hpp"
#include "common/line_framer.hpp"

namespace slow_server {

// Bytes waiting to be written, and where each answer among them ends, so an answer
// counts as sent only once its last byte went to the kernel.
class OutputBuffer {
 public:
  void append_answer(std::string_view answer);  // one whole answer line
  void append(std::string_view bytes);          // anything else (the error line)

  bool empty() const noexcept { return sent_ == bytes_.size(); }
  std::size_t size() const noexcept { return bytes_.size() - sent_; }
  std::string_view unsent() const noexcept { return std::string_view(bytes_).substr(sent_); }

  // `count` bytes of unsent() were written. Returns how many answers that finished.
  std::size_t consume(std::size_t count);
  // Answers not (or not completely) written yet.
  std::size_t unfinished_answers() const noexcept { return answer_ends_.size(); }

 private:
  std::string bytes_;
  std::size_t sent_ = 0;                   // bytes_[0, sent_) are written
  std::uint64_t total_sent_ = 0;           // every byte ever written, ...
  std::uint64_t total_appended_ = 0;       // ... and ever appended
  std::deque<std::uint64_t> answer_ends_;  // in total_appended_ terms, oldest first
};

struct PendingAnswer {
  common::TimePoint due;
  std::string request;  // the request's text, without its line ending
};

// Where a connection is in its life. Every state but `closed` owns an open socket.
enum class ConnectionState {
  reading,         // the protocol: read requests, answer each when it is due
  answering_rest,  // the client half-closed: answer what it sent, then close
  finishing,       // no more requests (an error, --fault close-early): write what is
                   // queued, then shut down our side
  lingering,       // our side is shut down: wait (briefly) for the client to close
  closed,
};

struct Connection {
  Connection(std::uint64_t serial, common::Fd socket, const sockaddr_in& peer, bool faulty,
             common::TimePoint now)
      : serial(serial), socket(std::move(socket)), peer(peer), faulty(faulty), last_activity(now) {}

  // "127.0.0.1:50412", for log lines.
  std::string peer_text() const;

  // Answers owed: requests taken but not yet answered, and answers not completely written.
  std::size_t owed_answers() const noexcept { return pending.size() + output.unfinished_answers(); }
  // What the server holds for this client: bytes read but not yet cut into requests, the
  // text of the requests owed, and answers not yet written (the budget counts these).
  std::size_t held_bytes() const noexcept {
    return framer.buffered_bytes() + pending_bytes + output.size();
  }
  void owe(common::TimePoint due, std::string request);
  PendingAnswer take_oldest();  // pending must not be empty
  std::size_t drop_pending();   // returns how many were dropped

  const std::uint64_t serial;  // never reused, unlike the fd number
  common::Fd socket;
  const sockaddr_in peer;
  const bool faulty;  // --fault applies to this connection

  ConnectionState state = ConnectionState::reading;
  common::LineFramer framer;
  bool lines_waiting = false;  // the limits stopped us taking lines: the framer may hold more
  std::deque<PendingAnswer> pending;  // arrival order, hence due order
  std::size_t pending_bytes = 0;      // the text of the requests in `pending`
  OutputBuffer output;

  std::uint32_t interest = 0;     // what the selector watches for (0: not registered)
  std::size_t counted_bytes = 0;  // held_bytes() when the server's total last counted it

  // What the deadlines count from (server_timers.cpp).
  common::TimePoint last_activity;                // the last byte read or written (idle)
  std::optional<common::TimePoint> line_started;  // the unfinished line's first byte (request)
  common::TimePoint output_waiting_since;         // queued, or the last send that took bytes
  std::optional<common::TimePoint> trickle_at;    // --fault trickle: the next byte
  common::TimePoint linger_until;                 // lingering: close by then

  // Closed this turn: the server frees it after the turn (server_impl.hpp). A link, not a
  // vector, so that closing never allocates: it is what we do when memory runs out.
  std::unique_ptr<Connection> next_closed;
};

}  // namespace slow_server
