// server_budget.cpp: how much the server holds for its clients, and back-pressure.
//
// Everything a client makes the server hold is either an owed answer (a request taken
// and not yet answered: about 100 bytes of bookkeeping each) or bytes (read but not yet
// cut into lines, the text of owed requests, answers not yet written). Both are limited
// per connection (--max-owed-per-connection, 1 MiB of bytes) and for all connections
// together (--max-owed-answers, --max-buffered-bytes). The server never refuses or drops
// anything to keep within them: it stops taking lines and stops reading, and TCP's flow
// control makes the client wait. Once the global budget is spent, each connection may
// still hold a small reserve, so a well-behaved client (a request or a few, its answers
// read as they come) is never stuck behind a flood of others.
#include <algorithm>

#include "slow_server/server_impl.hpp"

namespace slow_server {
namespace {

constexpr std::size_t max_bytes_per_connection = 1 << 20;
// What the budget never refuses a connection: this many owed answers, these many bytes.
constexpr std::size_t reserve_answers = 16;
constexpr std::size_t reserve_bytes = 4096;

std::size_t left(std::size_t limit, std::size_t used) {
  return limit > used ? limit - used : 0;
}

// With no budget (0), the budget never says no.
bool spent(std::size_t used, std::size_t budget) {
  return budget != 0 && used >= budget;
}

}  // namespace

bool Server::Impl::owed_budget_spent() const {
  return spent(counters.pending_answers, options.max_owed_answers);
}

// What `connection` may take now: one more request (one more of the lines it sent), and
// how many bytes one read may bring. Without the budget: its own limits only.
Room Server::Impl::room(const Connection& connection, bool with_budget) const {
  const std::size_t owed = connection.owed_answers();
  const std::size_t held = connection.held_bytes();
  Room room;
  room.requests = owed < options.max_owed_per_connection &&
                  (!with_budget || owed < reserve_answers || !owed_budget_spent());
  // A read while whole lines still wait would only pile up more of them.
  if (!room.requests || connection.lines_waiting) return room;
  room.bytes = std::min(read_buffer.size(), left(max_bytes_per_connection, held));
  if (with_budget && options.max_buffered_bytes != 0) {
    const std::size_t budget_left = left(options.max_buffered_bytes, counters.bytes_held);
    room.bytes = std::min(room.bytes, std::max(budget_left, left(reserve_bytes, held)));
  }
  return room;
}

// Keeps the server's total of held bytes up to date; settle() calls it after each change.
void Server::Impl::count_bytes(Connection& connection) {
  const std::size_t held =
      connection.state == ConnectionState::closed ? 0 : connection.held_bytes();
  counters.bytes_held = counters.bytes_held - connection.counted_bytes + held;
  connection.counted_bytes = held;
  raise_peak(counters.bytes_held_peak, counters.bytes_held);
}

// The global budget stopped this connection, its own limits would not have: nothing it
// does will wake it (it is not read), so remember it for when the budget has room again.
void Server::Impl::hold_back(Connection& connection) {
  held_back.insert(connection.serial);
}

// Once the budget has room again, every connection it stopped gets another look. The
// budget must fall to 3/4 first: resuming all of them at the very edge would have most
// take one line, find the budget spent again, and wait again, on every turn.
void Server::Impl::resume_held_back() {
  if (held_back.empty()) return;
  if (spent(counters.pending_answers, options.max_owed_answers / 4 * 3) ||
      spent(counters.bytes_held, options.max_buffered_bytes / 4 * 3))
    return;
  const auto waiting = std::exchange(held_back, {});  // settle() may hold some back again
  for (std::uint64_t serial : waiting) {
    auto found = connections.find(serial);
    if (found == connections.end()) continue;
    Connection& connection = *found->second;
    guarded(connection, [&] { settle(connection); });
  }
}

}  // namespace slow_server
