// event_loop.hpp: stage 5's loop: stage 4's EventLoop (its ready list, timers, run_once,
// and with them Task, gather, sleep and wait_for, all reused) turning on a Ring instead of
// epoll, and the one awaitable that is new: Submit, an operation handed to the kernel.
// This is the one stage that includes another, on purpose: stage 5 = stage 4 with a new
// wait underneath, as asyncio's ProactorEventLoop is its BaseEventLoop over IOCP.
#pragma once

#include <netinet/in.h>

#include <memory>
#include <span>
#include <string_view>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/task.hpp"
#include "stage5_io_uring/ring.hpp"

namespace stage5 {

using stage4::LoopOptions;
using stage4::Task;

class EventLoop : public stage4::EventLoop {
 public:
  explicit EventLoop(LoopOptions options = {}) : EventLoop(new Ring(), std::move(options)) {}
  Ring& ring() noexcept { return ring_; }

 private:
  // The base owns the Ring (as its Selector); this keeps a typed reference to it. (Raw `new`:
  // the base must receive the pointer before ring_ can be set; the unique_ptr takes it first.)
  EventLoop(Ring* ring, LoopOptions options)
      : stage4::EventLoop(std::unique_ptr<common::Selector>(ring), std::move(options)),
        ring_(*ring) {}
  Ring& ring_;
};

// [docs:stage5-submit]
// `int result = co_await Submit(loop, prepare)`: stage 4's FdWait asked "tell me when I can
// read"; this says "read, and tell me when it is done". await_suspend queues the operation;
// the loop's next select() submits it; its completion puts this Waiter on the ready list
// with the kernel's result (bytes, or -errno). The lifetime rule: from await_suspend to the
// completion the kernel owns what `prepare` pointed it at (a buffer, an address), so the
// frame holding them must live on: if the frame is destroyed first (wait_for timed out),
// the destructor cancels and waits for the kernel to let go (Ring::cancel). A Submit lives
// in the waiting frame, which its Task owns; the Ring only points at it while in flight.
template <typename Prepare>
class Submit : public Operation {
 public:
  Submit(EventLoop& loop, Prepare prepare) : loop_(&loop), prepare_(std::move(prepare)) {}
  Submit(const Submit&) = delete;
  ~Submit() { loop_->ring().cancel(*this); }  // nothing to do unless still in flight
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> waiting) {
    loop_->park(*this, waiting);
    loop_->ring().start(*this, prepare_);
  }
  int await_resume() const noexcept { return result; }

 private:
  EventLoop* loop_;
  Prepare prepare_;
};

inline auto submit_connect(EventLoop& loop, int fd, const sockaddr_in& address) {
  return Submit(loop, [fd, &address](io_uring_sqe* sqe) {
    io_uring_prep_connect(sqe, fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  });
}
inline auto submit_send(EventLoop& loop, int fd, std::string_view data) {
  return Submit(loop, [fd, data](io_uring_sqe* sqe) {
    io_uring_prep_send(sqe, fd, data.data(), data.size(), MSG_NOSIGNAL);  // no SIGPIPE: EPIPE
  });
}
inline auto submit_recv(EventLoop& loop, int fd, std::span<char> buffer) {
  return Submit(loop, [fd, buffer](io_uring_sqe* sqe) {
    io_uring_prep_recv(sqe, fd, buffer.data(), buffer.size(), 0);
  });
}
// [/docs]

}  // namespace stage5
