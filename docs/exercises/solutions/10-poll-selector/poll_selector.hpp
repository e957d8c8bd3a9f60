// docs/exercises/solutions/10-poll-selector/poll_selector.hpp -- the reference solution of
// exercise 10 (selectors): the poll backend (docs/exercises/10-poll-selector.md).
//
// select(2) passes the kernel three bitmaps of FD_SETSIZE bits; poll(2) passes an array of
// pollfd, one per watched fd, and the kernel writes what happened into each one's revents.
// So no fd number is too high, but like select every call hands the kernel the whole list
// and reads it all back: O(registered fds) per wake-up. common/selector_poll.cpp keeps the
// array between calls instead of rebuilding it; this one rebuilds it, as select's bitmaps
// are rebuilt, so the two read side by side.
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

  std::span<const common::SelectorEvent> select(
      std::optional<std::chrono::nanoseconds> timeout) override {
    pollfds_.clear();
    for (const auto& [fd, entry] : entries_) {
      const short events = static_cast<short>((entry.interest & common::EVENT_READ ? POLLIN : 0) |
                                              (entry.interest & common::EVENT_WRITE ? POLLOUT : 0));
      pollfds_.push_back({fd, events, 0});
    }
    // ppoll, not poll: poll counts in whole milliseconds, so a 100 us wait would take 1 ms
    // (rounded up) or none (rounded down, and the caller spins): selector_timeout.hpp.
    const timespec limit = common::to_timespec(timeout.value_or(std::chrono::nanoseconds::zero()));
    ready_.clear();
    const int ready =
        ::ppoll(pollfds_.data(), pollfds_.size(), timeout ? &limit : nullptr, nullptr);
    if (ready < 0) {
      if (errno == EINTR) return {};
      throw common::NetError("ppoll", errno);
    }
    for (const pollfd& polled : pollfds_) {
      std::uint32_t events = 0;
      if (polled.revents & POLLIN) events |= common::EVENT_READ;
      if (polled.revents & POLLOUT) events |= common::EVENT_WRITE;
      // An error or a hang-up comes whether or not it was asked for: report every event the
      // fd is registered for, so its owner's next recv or send finds the error.
      if (polled.revents & (POLLERR | POLLHUP | POLLNVAL))
        events |= common::EVENT_READ | common::EVENT_WRITE;
      const Entry& entry = entries_.at(polled.fd);
      events &= entry.interest;
      if (events != 0) ready_.push_back({polled.fd, events, entry.data});
    }
    return ready_;
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
  std::vector<pollfd> pollfds_;               // what ppoll reads and writes, one per entry
  std::vector<common::SelectorEvent> ready_;  // what select() returns a span of
};

}  // namespace exercises
