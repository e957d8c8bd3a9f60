// socket_awaiters.hpp: `co_await readable(loop, fd)` and `co_await writable(loop, fd)`:
// suspend until the loop's Selector says the socket is ready.
//
// Public API:
//   co_await readable(loop, fd)   resumes once recv() on fd would not block (data, EOF or error)
//   co_await writable(loop, fd)   resumes once send() would not block (or connect() finished)
// They only wait; the caller then calls recv/send/connect_result and, if the answer is
// "would block" after all, awaits again (socket_ops.hpp does exactly that).
//
// Who owns what: the awaiter lives in the waiting coroutine's frame and holds the fd's
// registration (an FdWait); it does not own the fd. The registration ends when the loop
// resumes the coroutine, or when the awaiter is destroyed with its frame (a cancelled
// task): always before the socket's owner closes it, since the socket was opened first
// and dies last. Stage 3 registered a callback that resolved a Future that woke the task;
// here the registration points straight at the coroutine.
#pragma once

#include <coroutine>
#include <cstdint>
#include <string>

#include "common/selector.hpp"
#include "stage4_coroutines/event_loop.hpp"

namespace stage4 {

// [docs:stage4-fd-awaiter]
class FdAwaiter {
 public:
  FdAwaiter(EventLoop& loop, int fd, std::uint32_t events) noexcept
      : wait_(loop), fd_(fd), events_(events) {}

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> waiting) {
    if (EventLoop& loop = wait_.loop(); loop.tracing()) {
      loop.trace_suspend("fd " + std::to_string(fd_) +
                         (events_ & common::EVENT_READ ? " readable" : " writable"));
    }
    wait_.start(fd_, events_, waiting);  // may throw (select: FD_SETSIZE): then we do not suspend
  }
  void await_resume() const noexcept {}

 private:
  FdWait wait_;  // in the waiting frame: the registration dies with it
  int fd_;
  std::uint32_t events_;
};
// [/docs]

inline FdAwaiter readable(EventLoop& loop, int fd) {
  return FdAwaiter(loop, fd, common::EVENT_READ);
}
inline FdAwaiter writable(EventLoop& loop, int fd) {
  return FdAwaiter(loop, fd, common::EVENT_WRITE);
}

}  // namespace stage4
