// selector_epoll.cpp: the Linux backend. The kernel keeps the interest list, so a
// select() call costs O(ready fds), not O(registered fds): 10,000 idle sockets cost
// nothing per wake-up.
#include <memory>

#include "common/selector.hpp"

#if defined(__linux__)
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <vector>

#include "common/fd.hpp"
#include "common/net.hpp"
#include "common/selector_timeout.hpp"

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
    kernel_events_.resize(size_ + 1);  // + 1: room for the timer's own event, if it has one
    int ready = wait(timeout);
    ready_.clear();
    if (ready < 0) {
      if (errno == EINTR) return {};
      throw NetError("epoll wait", errno);
    }
    for (int i = 0; i < ready; ++i) {
      const epoll_event& event = kernel_events_[static_cast<std::size_t>(i)];
      const int fd = event.data.fd;
      if (timer_ && fd == timer_.get()) continue;  // our own wake-up call, not the caller's
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

  // One wait in the kernel; returns what epoll_wait returns. epoll_wait counts in whole
  // milliseconds (selector_timeout.hpp says why that will not do). epoll_pwait2 takes a
  // timespec, but needs Linux 5.11 and glibc 2.35; where either is missing, a timerfd of our
  // own in the interest list wakes epoll_wait on time instead.
  int wait(std::optional<std::chrono::nanoseconds> timeout) {
    epoll_event* events = kernel_events_.data();
    const int capacity = static_cast<int>(kernel_events_.size());
#if defined(AIO_HAVE_EPOLL_PWAIT2)  // common/CMakeLists.txt: does sys/epoll.h declare it?
    if (!timer_) {                  // (a timer means the kernel has refused epoll_pwait2 before)
      const timespec limit = to_timespec(timeout.value_or(std::chrono::nanoseconds::zero()));
      int ready =
          ::epoll_pwait2(epoll_.get(), events, capacity, timeout ? &limit : nullptr, nullptr);
      if (ready >= 0 || errno != ENOSYS) return ready;
      // ENOSYS: glibc has the call, the kernel (older than 5.11) does not. Use the timer.
    }
#endif
    if (timeout && *timeout <= std::chrono::nanoseconds::zero()) {
      return ::epoll_wait(epoll_.get(), events, capacity, 0);  // just look
    }
    if (!timer_) start_timer();
    // Armed for this wait's timeout, or disarmed for no limit. Setting the timer also
    // forgets an expiry from an earlier wait, so it cannot wake this one early.
    itimerspec when{};
    if (timeout) when.it_value = to_timespec(*timeout);
    if (::timerfd_settime(timer_.get(), 0, &when, nullptr) != 0) {
      throw NetError("timerfd_settime", errno);
    }
    return ::epoll_wait(epoll_.get(), events, capacity, -1);
  }

  void start_timer() {
    timer_.reset(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
    if (!timer_) throw NetError("timerfd_create", errno);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = timer_.get();
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, timer_.get(), &event) != 0) {
      throw NetError("epoll register timerfd", errno);
    }
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
  Fd timer_;  // only where epoll_pwait2 is missing; its expiry is never read, only reset
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
