// event_loop.hpp: stage 2's loop, the same as stage 1's (diff the two: only the stage's
// name changes; what stage 2 changes is the client). "Call this function when that socket
// is ready", plus a deadline per socket, on top of common::Selector.
//
// It is the article's loop (`while True: for key, mask in selector.select(): key.data()`)
// with the two things a real client cannot do without: a deadline per request, and
// robustness against callbacks that change the registrations while the loop walks them.
//
// Who owns what:
// - The loop owns the callbacks registered with it, and nothing else. A callback owns
//   whatever it captured (in stage 2: only `this`, a TcpClient, which owns its socket).
//   Destroying the loop destroys the callbacks still registered, without calling them.
// - A callback belongs to an fd *number*, and numbers are recycled: the moment a socket is
//   closed, the next socket() may get the same number. So the rule is: unregister, then
//   close. unregister() forgets the fd's callback and its deadline, so no callback outlives
//   the socket it was registered for.
// - Each registration gets a serial number, handed to the Selector as its `data`. An event
//   is delivered only if the fd still holds the registration it was reported for: a
//   callback that unregistered or replaced another fd earlier in the same batch (and a new
//   socket that got the same number) never receives the old event.
// - While a callback runs, the loop holds it in a local variable, not in its table: the
//   callback may unregister or replace itself, or register new fds (growing the table),
//   without destroying the very lambda that is running. It goes back into the table when
//   it returns, unless it was replaced or unregistered meanwhile.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "common/clock.hpp"
#include "common/selector.hpp"

namespace stage2 {

class EventLoop {
 public:
  using Callback = std::function<void()>;

  explicit EventLoop(common::SelectorKind kind = common::default_selector_kind());

  // Calls `callback` whenever fd is ready for `events` (common::EVENT_READ / EVENT_WRITE).
  // Throws what the Selector throws (the select backend refuses fd >= FD_SETSIZE).
  void register_fd(int fd, std::uint32_t events, Callback callback);
  // Watches fd for other events, with another callback; keeps its deadline.
  void modify(int fd, std::uint32_t events, Callback callback);
  // Forgets fd: its callback and its deadline. Call it before closing fd.
  void unregister(int fd);
  // Calls `on_timeout` once if fd is still registered at `deadline`.
  void set_deadline(int fd, common::TimePoint deadline, Callback on_timeout);

  // Runs callbacks until no fd is registered any more: every request has finished.
  void run();

 private:
  struct Handler {
    std::uintptr_t serial = 0;  // 0: fd not registered
    Callback callback;
    std::optional<common::TimePoint> deadline;
    Callback on_timeout;
  };

  Handler& handler(int fd);  // throws std::logic_error if fd is not registered
  void dispatch(const common::SelectorEvent& event);
  void expire_deadlines(common::TimePoint now);
  std::optional<std::chrono::nanoseconds> time_to_next_deadline(common::TimePoint now) const;

  std::unique_ptr<common::Selector> selector_;
  std::vector<Handler> handlers_;                          // indexed by fd
  std::set<std::pair<common::TimePoint, int>> deadlines_;  // (deadline, fd), earliest first
  std::uintptr_t next_serial_ = 1;
};

}  // namespace stage2
