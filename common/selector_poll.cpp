// selector_poll.cpp: poll(2). No limit on fd numbers, but every call passes the whole
// list to the kernel and back: O(registered fds) per wake-up, however few are ready.
#include <poll.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "common/net.hpp"
#include "common/selector.hpp"
#include "common/selector_timeout.hpp"

namespace common {
namespace {

short poll_events(std::uint32_t events) {
  return static_cast<short>((events & EVENT_READ ? POLLIN : 0) |
                            (events & EVENT_WRITE ? POLLOUT : 0));
}

class PollSelector final : public Selector {
 public:
  void register_fd(int fd, std::uint32_t events, void* data) override {
    if (fd < 0) throw std::logic_error("selector: negative fd");
    if (index_.contains(fd))
      throw std::logic_error("selector: fd " + std::to_string(fd) + " is already registered");
    index_[fd] = pollfds_.size();
    pollfds_.push_back({fd, poll_events(events), 0});
    entries_.push_back({events, data});
  }
  void modify(int fd, std::uint32_t events, void* data) override {
    std::size_t i = find(fd);
    pollfds_[i].events = poll_events(events);
    entries_[i] = {events, data};
  }
  void unregister(int fd) override {
    // Swap with the last entry so removal is O(1).
    std::size_t i = find(fd);
    std::size_t last = pollfds_.size() - 1;
    if (i != last) {
      pollfds_[i] = pollfds_[last];
      entries_[i] = entries_[last];
      index_[pollfds_[i].fd] = i;
    }
    pollfds_.pop_back();
    entries_.pop_back();
    index_.erase(fd);
  }

  std::span<const SelectorEvent> select(std::optional<std::chrono::nanoseconds> timeout) override {
    ready_.clear();
    int ready = wait(timeout);
    if (ready < 0) {
      if (errno == EINTR) return {};
      throw NetError("poll", errno);
    }
    for (std::size_t i = 0; i < pollfds_.size() && ready_.size() < static_cast<std::size_t>(ready);
         ++i) {
      short revents = pollfds_[i].revents;
      if (revents == 0) continue;
      std::uint32_t events = 0;
      if (revents & POLLIN) events |= EVENT_READ;
      if (revents & POLLOUT) events |= EVENT_WRITE;
      if (revents & (POLLERR | POLLHUP | POLLNVAL)) events |= EVENT_READ | EVENT_WRITE;
      events &= entries_[i].interest;
      if (events != 0) ready_.push_back({pollfds_[i].fd, events, entries_[i].data});
    }
    return ready_;
  }

  std::size_t size() const override { return pollfds_.size(); }
  SelectorKind kind() const override { return SelectorKind::poll; }

 private:
  struct Entry {
    std::uint32_t interest;
    void* data;
  };

  // ppoll, not poll: poll counts in milliseconds (selector_timeout.hpp says why that
  // matters). No signal mask: the thread's own stays as it is. macOS has no ppoll: there we
  // poll the whole milliseconds, sleep the rest and look once more, so the wait still ends
  // on time (a socket that turns ready during that last fraction of a ms waits for it).
  int wait(std::optional<std::chrono::nanoseconds> timeout) {
#if defined(AIO_HAVE_PPOLL)  // common/CMakeLists.txt: does poll.h declare it?
    const timespec limit = to_timespec(timeout.value_or(std::chrono::nanoseconds::zero()));
    return ::ppoll(pollfds_.data(), pollfds_.size(), timeout ? &limit : nullptr, nullptr);
#else
    if (!timeout) return ::poll(pollfds_.data(), pollfds_.size(), -1);
    const auto whole = std::chrono::floor<std::chrono::milliseconds>(  // poll's int: < 25 days
        std::clamp<std::chrono::nanoseconds>(*timeout, {}, std::chrono::days(24)));
    int ready = ::poll(pollfds_.data(), pollfds_.size(), static_cast<int>(whole.count()));
    const timespec rest = to_timespec(*timeout - whole);
    if (ready != 0 || rest.tv_sec != 0 || rest.tv_nsec == 0) return ready;
    ::nanosleep(&rest, nullptr);
    return ::poll(pollfds_.data(), pollfds_.size(), 0);
#endif
  }

  std::size_t find(int fd) const {
    auto found = index_.find(fd);
    if (found == index_.end())
      throw std::logic_error("selector: fd " + std::to_string(fd) + " is not registered");
    return found->second;
  }

  std::vector<pollfd> pollfds_;                 // what poll() reads, one per registered fd
  std::vector<Entry> entries_;                  // parallel to pollfds_
  std::unordered_map<int, std::size_t> index_;  // fd -> position in both vectors
  std::vector<SelectorEvent> ready_;
};

}  // namespace

std::unique_ptr<Selector> make_poll_selector() {
  return std::make_unique<PollSelector>();
}

}  // namespace common
