// selector.hpp: "tell me which of these sockets are ready", the counterpart of
// Python's selectors.DefaultSelector.
//
// register_fd(fd, events, data) says what to watch; select(timeout) waits until some
// of it is ready and returns (fd, events, data) for each. `data` is yours: the
// selector hands it back untouched (a callback, a Task*, a coroutine handle...).
// Three backends, chosen at run time with --selector:
//   epoll  (Linux): the kernel keeps the interest list; one call costs O(ready).
//   poll:   the whole list is passed in every call; O(registered).
//   select: like poll, but a fixed-size bitmap; no fd >= FD_SETSIZE (1024) at all.
// Why that matters is docs/selectors.md; the C10K problem lives in these three lines.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

namespace common {

// The same two bits as Python's selectors.EVENT_READ and EVENT_WRITE.
inline constexpr std::uint32_t EVENT_READ = 1u << 0;
inline constexpr std::uint32_t EVENT_WRITE = 1u << 1;

struct SelectorEvent {
  int fd;
  std::uint32_t events;  // EVENT_READ and/or EVENT_WRITE. An error or hang-up on the fd
                         // reports every event it was registered for, so the owner
                         // finds the error with its next recv/send/connect_result.
  void* data;
};

enum class SelectorKind { epoll, poll, select };

std::string_view to_string(SelectorKind kind);
// epoll where the system has it, poll elsewhere.
SelectorKind default_selector_kind();
// Is this backend compiled in? (epoll only exists on Linux.)
bool selector_available(SelectorKind kind);

class Selector {
 public:
  virtual ~Selector() = default;

  // ("register" is a C++ keyword, hence register_fd.)
  // Start watching fd; throws std::logic_error if it is already registered, and the
  // select backend throws std::runtime_error naming FD_SETSIZE for fd >= FD_SETSIZE.
  virtual void register_fd(int fd, std::uint32_t events, void* data) = 0;
  // Change what fd is watched for; throws std::logic_error if it is not registered.
  virtual void modify(int fd, std::uint32_t events, void* data) = 0;
  // Stop watching fd; throws std::logic_error if it is not registered.
  // Unregister before you close the fd.
  virtual void unregister(int fd) = 0;

  // Waits until something registered is ready, or `timeout` passes (nullopt: no
  // limit; zero: just look). Every backend hands the kernel the timeout in nanoseconds,
  // not rounded to milliseconds (selector_timeout.hpp), so a wait with nothing ready
  // never ends before it. An interrupted wait (EINTR) returns nothing. The span stays
  // valid until the next call.
  virtual std::span<const SelectorEvent> select(
      std::optional<std::chrono::nanoseconds> timeout) = 0;

  virtual std::size_t size() const = 0;  // how many fds are registered
  virtual SelectorKind kind() const = 0;
};

std::unique_ptr<Selector> make_selector(SelectorKind kind = default_selector_kind());

}  // namespace common
