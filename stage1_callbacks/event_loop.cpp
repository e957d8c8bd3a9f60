// event_loop.cpp: stage 1's loop (see event_loop.hpp for who owns what).
#include "stage1_callbacks/event_loop.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace stage1 {

namespace {
// The Selector hands `data` back untouched: we give it the registration's serial number.
void* as_data(std::uintptr_t serial) {
  return reinterpret_cast<void*>(serial);
}
std::uintptr_t serial_of(void* data) {
  return reinterpret_cast<std::uintptr_t>(data);
}
}  // namespace

EventLoop::EventLoop(common::SelectorKind kind) : selector_(common::make_selector(kind)) {}

EventLoop::Handler& EventLoop::handler(int fd) {
  const auto index = static_cast<std::size_t>(fd);
  if (fd < 0 || index >= handlers_.size() || handlers_[index].serial == 0) {
    throw std::logic_error("event loop: fd " + std::to_string(fd) + " is not registered");
  }
  return handlers_[index];
}

void EventLoop::register_fd(int fd, std::uint32_t events, Callback callback) {
  if (fd < 0) throw std::logic_error("event loop: negative fd");
  const auto index = static_cast<std::size_t>(fd);
  if (index >= handlers_.size()) handlers_.resize(std::max(index + 1, 2 * handlers_.size()));
  const std::uintptr_t serial = next_serial_++;
  selector_->register_fd(fd, events, as_data(serial));  // if it throws, nothing has changed
  handlers_[index].serial = serial;
  handlers_[index].callback = std::move(callback);
}

void EventLoop::modify(int fd, std::uint32_t events, Callback callback) {
  Handler& registered = handler(fd);
  const std::uintptr_t serial = next_serial_++;
  selector_->modify(fd, events, as_data(serial));
  registered.serial = serial;
  registered.callback = std::move(callback);
}

void EventLoop::unregister(int fd) {
  Handler& registered = handler(fd);
  selector_->unregister(fd);
  if (registered.deadline) deadlines_.erase({*registered.deadline, fd});
  registered = Handler{};
}

void EventLoop::set_deadline(int fd, common::TimePoint deadline, Callback on_timeout) {
  Handler& registered = handler(fd);
  if (registered.deadline) deadlines_.erase({*registered.deadline, fd});
  registered.deadline = deadline;
  registered.on_timeout = std::move(on_timeout);
  deadlines_.emplace(deadline, fd);
}

// [docs:stage1-event-loop-run]
void EventLoop::run() {
  // Every request that has not finished holds a registration, so "nothing registered"
  // means "every request has finished".
  while (selector_->size() > 0) {
    auto timeout = time_to_next_deadline(common::Clock::now());
    for (const common::SelectorEvent& event : selector_->select(timeout)) dispatch(event);
    expire_deadlines(common::Clock::now());
  }
}
// [/docs]

void EventLoop::dispatch(const common::SelectorEvent& event) {
  // Look the fd up now, not when select() returned: a callback earlier in this batch may
  // have unregistered it, and a new socket may have been given the same number since.
  const auto index = static_cast<std::size_t>(event.fd);
  const std::uintptr_t serial = serial_of(event.data);
  if (index >= handlers_.size() || handlers_[index].serial != serial) return;  // stale event
  Callback callback = std::move(handlers_[index].callback);  // see "While a callback runs"
  callback();
  // Back into the table, unless the callback replaced or unregistered itself.
  if (index < handlers_.size() && handlers_[index].serial == serial) {
    handlers_[index].callback = std::move(callback);
  }
}

void EventLoop::expire_deadlines(common::TimePoint now) {
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    const int fd = deadlines_.begin()->second;
    deadlines_.erase(deadlines_.begin());
    Handler& registered = handlers_[static_cast<std::size_t>(fd)];
    registered.deadline.reset();
    Callback on_timeout = std::move(registered.on_timeout);  // a deadline fires once
    on_timeout();                                            // usually unregisters fd and closes it
  }
}

std::optional<std::chrono::nanoseconds> EventLoop::time_to_next_deadline(
    common::TimePoint now) const {
  if (deadlines_.empty()) return std::nullopt;  // nothing to wake up for but the sockets
  auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(deadlines_.begin()->first - now);
  return std::max(left, std::chrono::nanoseconds::zero());
}

}  // namespace stage1
