// timer_queue.hpp: the server's timers, earliest first, at most one per connection.
//
// A connection has one timer: the earliest of its deadlines (its next answer due, the
// request, send and idle deadlines, the end of a linger, a trickled byte). When it fires
// the server looks at them all and sets the next one. So the queue never holds more
// timers than there are connections, whatever each one owes.
//
// nginx keeps its timers in a red-black tree for the same reason this is a std::set: a
// timer can be moved or taken out in O(log n). A closed connection's timer goes with it
// (cancel), instead of waiting in the queue until it falls due: under connect/close churn
// the queue holds the live connections' timers and nothing else. A timer names its
// connection by serial number, never by fd or pointer: both are reused, serials never.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

#include "common/clock.hpp"

namespace slow_server {

class TimerQueue {
 public:
  // `id` is due at `due`; the timer it had before, if any, is gone.
  void schedule(std::uint64_t id, common::TimePoint due) {
    auto [found, added] = due_.try_emplace(id, due);
    if (!added) {
      if (found->second == due) return;
      order_.erase({found->second, id});
      found->second = due;
    }
    order_.insert({due, id});
  }

  void cancel(std::uint64_t id) {
    auto found = due_.find(id);
    if (found == due_.end()) return;
    order_.erase({found->second, id});
    due_.erase(found);
  }

  // When `id`'s timer is due, if it has one.
  std::optional<common::TimePoint> due(std::uint64_t id) const {
    auto found = due_.find(id);
    if (found == due_.end()) return std::nullopt;
    return found->second;
  }

  // When the earliest timer is due, if there is one.
  std::optional<common::TimePoint> next_due() const {
    if (order_.empty()) return std::nullopt;
    return order_.begin()->first;
  }

  // Removes the earliest timer if it is due at `now`, and returns its id.
  std::optional<std::uint64_t> pop_due(common::TimePoint now) {
    if (order_.empty() || order_.begin()->first > now) return std::nullopt;
    const std::uint64_t id = order_.begin()->second;
    order_.erase(order_.begin());
    due_.erase(id);
    return id;
  }

  std::size_t size() const { return order_.size(); }

 private:
  std::set<std::pair<common::TimePoint, std::uint64_t>> order_;  // earliest first; ties by id
  std::unordered_map<std::uint64_t, common::TimePoint> due_;     // each id's entry in order_
};

}  // namespace slow_server
