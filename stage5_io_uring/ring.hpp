// ring.hpp: the io_uring ring as the loop's "selector", the way asyncio's ProactorEventLoop
// uses IOCP: select(timeout) does not say which sockets are ready, it returns operations
// that have FINISHED. An awaiter submits its connect, send or recv (start below); the loop's
// turn calls select(), which hands the queued submissions to the kernel and waits for
// completions in one system call, and each completion wakes the Waiter that submitted it.
// The Ring owns the kernel's two rings (submission and completion queues, shared memory)
// and a slot per operation in flight; it owns no coroutine frame.
#pragma once

#include <liburing.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/selector.hpp"
#include "stage4_coroutines/waiter.hpp"

namespace stage5 {

// One operation in the kernel's hands, as its awaiter holds it: the Waiter to resume when
// it completes, the result the kernel posts (cqe->res: bytes, 0, or -errno) and the ticket
// it travels under in user_data (0: nothing in flight).
struct Operation : stage4::Waiter {
  int result = 0;
  std::uint64_t ticket = 0;
};

// The one line that says why io_uring cannot be used, from the errno io_uring_setup failed
// with and /proc/sys/kernel/io_uring_disabled (0 where the file is missing); "" when
// `setup_error` is 0 and nothing is disabled. Separate from probe() so tests can map errnos.
std::string why_unavailable(int setup_error, int disabled_setting);
// Sets up a small ring with this stage's flags, asks for its operations and for synchronous
// cancel: "" when all is there, else why_unavailable's line.
std::string probe();

class Ring final : public common::Selector {
 public:
  explicit Ring(unsigned entries = 4096);  // throws std::runtime_error(why_unavailable)
  ~Ring() override;
  Ring(const Ring&) = delete;  // the kernel maps its queues into this object's memory
  Ring& operator=(const Ring&) = delete;

  // Queues one operation: `prepare(sqe)` fills the submission (io_uring_prep_recv...), the
  // Ring tags it with `op`'s ticket. Nothing reaches the kernel before the next select().
  template <typename Prepare>
  void start(Operation& op, const Prepare& prepare) {
    io_uring_sqe* sqe = next_submission();
    prepare(sqe);
    track(op, sqe);
  }
  // `op` is in flight and its awaiter is being destroyed: cancels it and returns only once
  // the kernel is done with it (see ring.cpp). Its completion, when reaped, is ignored.
  void cancel(Operation& op) noexcept;

  // common::Selector: what the loop calls.
  std::span<const common::SelectorEvent> select(
      std::optional<std::chrono::nanoseconds> timeout) override;
  std::size_t size() const override { return in_flight_; }  // can anything still wake us?
  void register_fd(int fd, std::uint32_t events, void* data) override;  // not used: throw
  void modify(int fd, std::uint32_t events, void* data) override;
  void unregister(int fd) override;
  common::SelectorKind kind() const override;

  std::size_t ignored_completions() const noexcept { return ignored_; }  // late ones
  std::size_t cancelled() const noexcept { return cancelled_; }

 private:
  struct Slot {
    Operation* op = nullptr;       // nullptr: free
    std::uint32_t generation = 1;  // bumped when freed: a late completion no longer matches
  };
  io_uring_sqe* next_submission();
  void track(Operation& op, io_uring_sqe* sqe);
  void complete(std::uint64_t ticket, int result);
  void release(std::uint32_t index) noexcept;

  io_uring ring_{};
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::vector<common::SelectorEvent> events_;
  std::size_t in_flight_ = 0;
  std::size_t ignored_ = 0;
  std::size_t cancelled_ = 0;
};

}  // namespace stage5
