// selector_epoll.cpp: the Linux backend. The kernel keeps the interest list, so a
// select() call costs O(ready fds), not O(registered fds): 10,000 idle sockets cost
// nothing per wake-up.
#include <memory>

#include "common/selector.hpp"

#if defined(__linux__)
#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <vector>

#include "common/fd.hpp"
#include "common/net.hpp"

namespace common {
namespace {

class EpollSelector final : public Selector {
 public:
  EpollSelector() : epoll_(::epoll_create1(EPOLL_CLOEXEC)) {
    if (!epoll_) throw NetError("epoll_create1", errno);
  }

  void register_fd(int fd, std::uint32_t events, void* data) override {
    control(EPOLL_CTL_ADD, fd, events, data);
    ++size_;
  }
  void modify(int fd, std::uint32_t events, void* data) override {
    control(EPOLL_CTL_MOD, fd, events, data);
  }
  void unregister(int fd) override {
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr) != 0) fail("unregister", fd, errno);
    --size_;
  }

  std::span<const SelectorEvent> select(std::optional<std::chrono::nanoseconds> timeout) override {
    kernel_events_.resize(std::max<std::size_t>(size_, 1));
    int ready = ::epoll_wait(epoll_.get(), kernel_events_.data(),
                             static_cast<int>(kernel_events_.size()), timeout_ms(timeout));
    ready_.clear();
    if (ready < 0) {
      if (errno == EINTR) return {};
      throw NetError("epoll_wait", errno);
    }
    for (int i = 0; i < ready; ++i) {
      const epoll_event& event = kernel_events_[static_cast<std::size_t>(i)];
      const int fd = event.data.fd;
      const Registration& registration = table_[static_cast<std::size_t>(fd)];
      std::uint32_t events = 0;
      if (event.events & (EPOLLIN | EPOLLRDHUP)) events |= EVENT_READ;
      if (event.events & EPOLLOUT) events |= EVENT_WRITE;
      if (event.events & (EPOLLERR | EPOLLHUP)) events |= EVENT_READ | EVENT_WRITE;
      events &= registration.interest;
      if (events != 0) ready_.push_back({fd, events, registration.data});
    }
    return ready_;
  }

  std::size_t size() const override { return size_; }
  SelectorKind kind() const override { return SelectorKind::epoll; }

 private:
  // epoll hands back one word per event: we give it the fd, and keep what the
  // caller registered in a table indexed by fd.
  struct Registration {
    std::uint32_t interest = 0;
    void* data = nullptr;
  };

  static int timeout_ms(std::optional<std::chrono::nanoseconds> timeout) {
    if (!timeout) return -1;
    if (*timeout <= std::chrono::nanoseconds::zero()) return 0;
    // Round up: waking a little early would make the caller spin until its deadline.
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(*timeout).count();
    return static_cast<int>(std::min<long long>(ms, 1'000'000'000));
  }

  void control(int operation, int fd, std::uint32_t events, void* data) {
    if (fd < 0) throw std::logic_error("selector: negative fd");
    if (static_cast<std::size_t>(fd) >= table_.size()) {
      table_.resize(std::max<std::size_t>(static_cast<std::size_t>(fd) + 1, table_.size() * 2));
    }
    epoll_event event{};
    event.events = (events & EVENT_READ ? EPOLLIN : 0u) | (events & EVENT_WRITE ? EPOLLOUT : 0u);
    event.data.fd = fd;
    if (::epoll_ctl(epoll_.get(), operation, fd, &event) != 0) {
      fail(operation == EPOLL_CTL_ADD ? "register" : "modify", fd, errno);
    }
    table_[static_cast<std::size_t>(fd)] = {events, data};
  }

  [[noreturn]] static void fail(const char* what, int fd, int error) {
    if (error == EEXIST)
      throw std::logic_error("selector: fd " + std::to_string(fd) + " is already registered");
    if (error == ENOENT)
      throw std::logic_error("selector: fd " + std::to_string(fd) + " is not registered");
    throw NetError(std::string("epoll ") + what + " fd " + std::to_string(fd), error);
  }

  Fd epoll_;
  std::vector<Registration> table_;
  std::vector<epoll_event> kernel_events_;
  std::vector<SelectorEvent> ready_;
  std::size_t size_ = 0;
};

}  // namespace

std::unique_ptr<Selector> make_epoll_selector() {
  return std::make_unique<EpollSelector>();
}

}  // namespace common

#else  // no epoll on this system: make_selector() never asks for it.

namespace common {
std::unique_ptr<Selector> make_epoll_selector() {
  return nullptr;
}
}  // namespace common

#endif
