// ring.cpp: the Ring (ring.hpp): setting it up, the probe, tickets, select() and cancel().
#include "stage5_io_uring/ring.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace stage5 {

// What this stage asks of the kernel when it sets a ring up (docs/06 lists the versions):
// a completion queue 4 times the submission queue (IORING_SETUP_CQSIZE, 5.5), and
// completions handed over when the loop next enters the kernel rather than by interrupting
// it (IORING_SETUP_COOP_TASKRUN, 5.19): one thread submits and reaps, nobody else waits.
static int setup(io_uring& ring, unsigned entries) {
  io_uring_params params{};
  params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_COOP_TASKRUN;
  params.cq_entries = 4 * entries;
  return io_uring_queue_init_params(entries, &ring, &params);  // 0 or -errno
}

std::string why_unavailable(int setup_error, int disabled_setting) {
  const std::string head = "io_uring unavailable: ";
  if (disabled_setting == 2)
    return head + "disabled on this machine (kernel.io_uring_disabled = 2)";
  switch (setup_error) {
    case 0:
      return "";
    case ENOSYS:
      return head + "the kernel has no io_uring_setup (ENOSYS: older than 5.1, or built without)";
    case EPERM:
      if (disabled_setting == 1)
        return head + "only for kernel.io_uring_group (kernel.io_uring_disabled = 1): EPERM";
      return head + "io_uring_setup is forbidden (EPERM): a seccomp filter such as Docker's";
    case EINVAL:
      return head +
             "the kernel does not know a flag or operation this stage uses (EINVAL): "
             "it needs Linux 6.0 or newer";
    default:
      return head + "io_uring_setup failed: " + std::strerror(setup_error);
  }
}

static int io_uring_disabled_setting() {  // the file exists since Linux 6.6
  int value = 0;
  std::ifstream("/proc/sys/kernel/io_uring_disabled") >> value;
  return value;
}

std::string probe() {
  const int disabled = io_uring_disabled_setting();
  io_uring ring{};
  if (int error = setup(ring, 2)) return why_unavailable(-error, disabled);
  int missing = 0;  // an operation the kernel does not know: as setup would say, EINVAL
  if (io_uring_probe* ops = io_uring_get_probe_ring(&ring)) {
    for (int op : {IORING_OP_CONNECT, IORING_OP_SEND, IORING_OP_RECV})
      if (!io_uring_opcode_supported(ops, op)) missing = EINVAL;
    io_uring_free_probe(ops);
  }
  io_uring_sync_cancel_reg nothing{};  // cancel what is not there: 6.0+ answers ENOENT
  nothing.timeout = {-1, -1};
  if (io_uring_register_sync_cancel(&ring, &nothing) == -EINVAL) missing = EINVAL;
  io_uring_queue_exit(&ring);
  return why_unavailable(missing, disabled);
}

Ring::Ring(unsigned entries) {
  if (int error = setup(ring_, entries))
    throw std::runtime_error(why_unavailable(-error, io_uring_disabled_setting()));
}

Ring::~Ring() {
  io_uring_queue_exit(&ring_);
}  // the loop, and every task, ended first

io_uring_sqe* Ring::next_submission() {
  io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
  if (!sqe) {  // the submission queue is full: hand it to the kernel now, take a free entry
    io_uring_submit(&ring_);
    sqe = io_uring_get_sqe(&ring_);
  }
  if (!sqe) throw std::runtime_error("io_uring: the submission queue stays full");
  return sqe;
}

// [docs:stage5-ticket]
// A ticket is the slot's index and its generation, in the 64 bits of user_data that the
// kernel hands back untouched. A slot is reused once freed; its generation is not, so a
// completion that arrives after its operation was cancelled matches nothing.
void Ring::track(Operation& op, io_uring_sqe* sqe) {
  if (free_slots_.empty()) {
    free_slots_.push_back(static_cast<std::uint32_t>(slots_.size()));
    slots_.emplace_back();
  }
  const std::uint32_t index = free_slots_.back();
  free_slots_.pop_back();
  slots_[index].op = &op;
  op.ticket = std::uint64_t{slots_[index].generation} << 32 | index;
  io_uring_sqe_set_data64(sqe, op.ticket);
  ++in_flight_;
}

void Ring::complete(std::uint64_t ticket, int result) {
  const auto index = static_cast<std::uint32_t>(ticket);
  if (index >= slots_.size() || slots_[index].generation != ticket >> 32 || !slots_[index].op) {
    ++ignored_;  // a cancelled operation's completion: its awaiter is gone
    return;
  }
  Operation& op = *slots_[index].op;
  op.result = result;
  op.ticket = 0;
  release(index);
  stage4::Waiter& waiter = op;  // what the loop's run_once takes an event's data for
  events_.push_back({-1, 0, &waiter});
}
// [/docs]

void Ring::release(std::uint32_t index) noexcept {
  slots_[index].op = nullptr;
  ++slots_[index].generation;
  free_slots_.push_back(index);
  --in_flight_;
}

// One system call submits what the awaiters queued and waits for at least one completion,
// or for the timeout (the loop's next timer): io_uring_enter with IORING_ENTER_EXT_ARG.
std::span<const common::SelectorEvent> Ring::select(
    std::optional<std::chrono::nanoseconds> timeout) {
  events_.clear();
  __kernel_timespec limit{};
  if (timeout) {
    limit.tv_sec = timeout->count() / 1'000'000'000;
    limit.tv_nsec = timeout->count() % 1'000'000'000;
  }
  io_uring_cqe* cqe = nullptr;
  int error =
      io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, timeout ? &limit : nullptr, nullptr);
  if (error < 0 && error != -ETIME && error != -EINTR)
    throw std::runtime_error(std::string("io_uring_enter: ") + std::strerror(-error));
  unsigned head = 0;
  unsigned seen = 0;
  io_uring_for_each_cqe(&ring_, head, cqe) {  // reads the shared queue: no system call
    complete(cqe->user_data, cqe->res);
    ++seen;
  }
  io_uring_cq_advance(&ring_, seen);  // the kernel may reuse those entries now
  return events_;
}

// [docs:stage5-cancel]
// The awaiter of an operation in flight is being destroyed (wait_for timed out): its frame
// holds the buffer the kernel may still write into, and is about to be freed. So: submit
// (the SQE may still be queued here), then cancel synchronously (Linux 6.0): the call returns
// once the operation is over, cancelled or just completed, and the kernel touches nothing
// of ours again. Its completion still comes, with another generation than the slot's by
// then: complete() counts and ignores it. The price: a system call that blocks the loop
// until the cancel is done, per cancelled operation (docs/06 shows the other way).
void Ring::cancel(Operation& op) noexcept {
  if (!op.ticket) return;  // not submitted, or completed already
  int error = io_uring_submit(&ring_);
  io_uring_sync_cancel_reg which{};
  which.addr = op.ticket;    // the operation whose user_data is this ticket
  which.timeout = {-1, -1};  // no time limit
  if (error >= 0) error = io_uring_register_sync_cancel(&ring_, &which);
  if (error < 0 && error != -ENOENT) {  // ENOENT: it had completed; anything else: unsafe
    std::fprintf(stderr, "io_uring: cannot cancel an operation: %s\n", std::strerror(-error));
    std::abort();  // freeing the buffer now would let the kernel write into freed memory
  }
  release(static_cast<std::uint32_t>(op.ticket));
  op.ticket = 0;
  ++cancelled_;
}
// [/docs]

void Ring::register_fd(int, std::uint32_t, void*) {
  throw std::logic_error("Ring: no readiness here; awaiters submit operations (Ring::start)");
}
void Ring::modify(int fd, std::uint32_t events, void* data) {
  register_fd(fd, events, data);
}
void Ring::unregister(int fd) {
  register_fd(fd, 0, nullptr);
}
common::SelectorKind Ring::kind() const {
  throw std::logic_error("Ring: a completion ring is none of the readiness selectors");
}

}  // namespace stage5
