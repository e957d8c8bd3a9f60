// selector_select.cpp: select(2), the oldest interface. An fd_set is a bitmap of
// FD_SETSIZE (1024) bits, so no descriptor numbered 1024 or above can be watched at
// all, and every call rebuilds and scans the bitmaps: O(highest fd). This backend is
// here to show the wall the C10K problem ran into.
#include <sys/select.h>

#include <cerrno>
#include <map>
#include <memory>
#include <stdexcept>
#include <vector>

#include "common/net.hpp"
#include "common/selector.hpp"
#include "common/selector_timeout.hpp"

namespace common {
namespace {

class SelectSelector final : public Selector {
 public:
  void register_fd(int fd, std::uint32_t events, void* data) override {
    if (fd < 0) throw std::logic_error("selector: negative fd");
    if (fd >= FD_SETSIZE) {
      // FD_SET on such an fd would write past the end of the bitmap: refuse, loudly.
      throw std::runtime_error("select() cannot watch fd " + std::to_string(fd) +
                               ": FD_SETSIZE is " + std::to_string(FD_SETSIZE) +
                               " (use --selector epoll or poll)");
    }
    if (!entries_.try_emplace(fd, Entry{events, data}).second) {
      throw std::logic_error("selector: fd " + std::to_string(fd) + " is already registered");
    }
  }
  void modify(int fd, std::uint32_t events, void* data) override { find(fd) = {events, data}; }
  void unregister(int fd) override {
    find(fd);
    entries_.erase(fd);
  }

  std::span<const SelectorEvent> select(std::optional<std::chrono::nanoseconds> timeout) override {
    fd_set readable, writable;
    FD_ZERO(&readable);
    FD_ZERO(&writable);
    int highest = -1;
    for (const auto& [fd, entry] : entries_) {
      if (entry.interest & EVENT_READ) FD_SET(fd, &readable);
      if (entry.interest & EVENT_WRITE) FD_SET(fd, &writable);
      highest = fd;  // std::map is ordered: the last one is the highest
    }
    // pselect takes a timespec, like the other backends' calls (selector_timeout.hpp), and
    // leaves it unchanged. No signal mask: the thread's own stays as it is.
    const timespec limit = to_timespec(timeout.value_or(std::chrono::nanoseconds::zero()));
    ready_.clear();
    int ready =
        ::pselect(highest + 1, &readable, &writable, nullptr, timeout ? &limit : nullptr, nullptr);
    if (ready < 0) {
      if (errno == EINTR) return {};
      throw NetError("pselect", errno);
    }
    for (const auto& [fd, entry] : entries_) {
      std::uint32_t events = (FD_ISSET(fd, &readable) ? EVENT_READ : 0u) |
                             (FD_ISSET(fd, &writable) ? EVENT_WRITE : 0u);
      if (events != 0) ready_.push_back({fd, events, entry.data});
    }
    return ready_;
  }

  std::size_t size() const override { return entries_.size(); }
  SelectorKind kind() const override { return SelectorKind::select; }

 private:
  struct Entry {
    std::uint32_t interest;
    void* data;
  };

  Entry& find(int fd) {
    auto found = entries_.find(fd);
    if (found == entries_.end())
      throw std::logic_error("selector: fd " + std::to_string(fd) + " is not registered");
    return found->second;
  }

  std::map<int, Entry> entries_;
  std::vector<SelectorEvent> ready_;
};

}  // namespace

std::unique_ptr<Selector> make_select_selector() {
  return std::make_unique<SelectSelector>();
}

}  // namespace common
