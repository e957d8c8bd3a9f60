// exercises/10-poll-selector/poll_selector.hpp -- Exercise 10 (selectors): the poll backend.
//
// The task is docs/exercises/10-poll-selector.md: write select() with poll(2) (ppoll), from
// common/selector_select.cpp, the select(2) backend. The bookkeeping is done: which fds
// are registered, for what, with what data. As given, select() throws "not implemented",
// so the check fails. Check your work: bash scripts/exercise.sh 10-poll-selector
#pragma once

#include <poll.h>
#include <time.h>

#include <cerrno>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/net.hpp"
#include "common/selector.hpp"
#include "common/selector_timeout.hpp"

namespace exercises {

class PollSelector final : public common::Selector {
 public:
  void register_fd(int fd, std::uint32_t events, void* data) override {
    if (fd < 0) throw std::logic_error("selector: negative fd");
    // No FD_SETSIZE here: poll takes a list of fds, not a bitmap, so any fd number will do.
    if (!entries_.try_emplace(fd, Entry{events, data}).second) {
      throw std::logic_error("selector: fd " + std::to_string(fd) + " is already registered");
    }
  }
  void modify(int fd, std::uint32_t events, void* data) override { find(fd) = {events, data}; }
  void unregister(int fd) override {
    find(fd);
    entries_.erase(fd);
  }

  // TODO(exercise 10): wait with ::ppoll until something registered is ready or `timeout`
  // passes (nullopt: no limit; zero: just look), and return (fd, events, data) for each
  // ready fd, as selector.hpp says. An interrupted wait (EINTR) returns nothing.
  std::span<const common::SelectorEvent> select(
      std::optional<std::chrono::nanoseconds> timeout) override {
    (void)timeout;
    throw std::logic_error("not implemented: PollSelector::select");
  }

  std::size_t size() const override { return entries_.size(); }
  common::SelectorKind kind() const override { return common::SelectorKind::poll; }

 private:
  struct Entry {
    std::uint32_t interest;  // EVENT_READ and/or EVENT_WRITE
    void* data;
  };

  Entry& find(int fd) {
    auto found = entries_.find(fd);
    if (found == entries_.end())
      throw std::logic_error("selector: fd " + std::to_string(fd) + " is not registered");
    return found->second;
  }

  std::map<int, Entry> entries_;
  std::vector<common::SelectorEvent> ready_;  // what select() returns a span of
};

}  // namespace exercises
