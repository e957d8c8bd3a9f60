// stage0_blocking/client.cpp -- Stage 0: blocking sockets, the starting point.
//
// The client the article starts from, and the baseline every later stage is diffed
// against. make_tcp_request() is three blocking calls: connect, send, recv. Each one
// parks the thread in the kernel until the server has done its part.
//
// What hurts: one after another, 10 requests that each wait 5 s for the server take
// 50 s, and the client spends all 50 s doing nothing. `--threads` gets it down to 5 s
// by giving every request a thread of its own, as the article's threading version
// does; the price is a kernel task and a stack per request, and a machine has only
// a few tens of thousands of those (see thread_limit()), for the whole system. A
// million connections cannot be a million threads. Stage 1 (stage1_callbacks) waits
// for all the sockets from one thread instead.
#include "stage0_blocking/client.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <fstream>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "common/client_errors.hpp"
#include "common/line_framer.hpp"
#include "common/protocol.hpp"

namespace stage0 {

namespace errors = common::client_errors;

namespace {

using Deadline = std::chrono::time_point<common::Clock, common::Seconds>;

// A blocking socket waits as long as it takes, unless we say otherwise. Before each
// blocking call we set SO_SNDTIMEO (which on Linux also bounds connect) and SO_RCVTIMEO
// to the time left, so a silent server ends that call with EAGAIN (EINPROGRESS for
// connect) instead of holding the thread forever.
void give_up_at(int fd, Deadline deadline, common::Seconds timeout) {
  auto left = std::chrono::ceil<std::chrono::microseconds>(deadline - common::Clock::now());
  // A zero timeval would mean "no limit", so time that is up must stop us here.
  if (left.count() <= 0) throw std::runtime_error(errors::timed_out(timeout.count()));
  timeval limit{};
  limit.tv_sec = static_cast<time_t>(left.count() / 1'000'000);
  limit.tv_usec = static_cast<suseconds_t>(left.count() % 1'000'000);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
}

// One request from start to end, told to the report; errors end this request only.
void send_one(const common::Address& address, int id, common::Seconds timeout,
              common::RunReport& report) {
  report.request_started(id);
  try {
    report.request_succeeded(id, make_tcp_request(address, id, timeout));
  } catch (const std::exception& error) {
    report.request_failed(id, error.what());
  }
}

}  // namespace

// [docs:stage0-make-tcp-request]
std::string make_tcp_request(const common::Address& address, int id, common::Seconds timeout) {
  const Deadline deadline = common::Clock::now() + timeout;
  common::Fd socket = common::make_tcp_socket(/*blocking=*/true);
  int fd = socket.get();

  give_up_at(fd, deadline, timeout);
  // Throws "connect to HOST:PORT: Connection refused" (client_errors::connect_failed).
  if (common::start_connect(fd, address) == common::ConnectStatus::in_progress) {
    throw std::runtime_error(errors::timed_out(timeout.count()));  // SO_SNDTIMEO ran out
  }

  // A blocking send() can still stop part-way (the time limit, a signal): loop.
  std::string request = common::protocol::request_line(id);
  for (std::string_view unsent = request; !unsent.empty();) {
    give_up_at(fd, deadline, timeout);
    common::IoResult sent = common::send_some(fd, unsent);
    if (sent.status == common::IoStatus::would_block)
      throw std::runtime_error(errors::timed_out(timeout.count()));
    if (sent.status == common::IoStatus::error)
      throw std::runtime_error(errors::send_failed(address, sent.error));
    unsent.remove_prefix(sent.bytes);
  }

  // The answer may come in pieces: read until a whole line is there.
  common::LineFramer framer(errors::max_response_bytes);
  std::array<char, 4096> buffer;
  for (;;) {
    if (std::optional<std::string> line = framer.next_line()) return *line;
    if (framer.too_long())
      throw std::runtime_error(errors::response_too_long(address, errors::max_response_bytes));
    give_up_at(fd, deadline, timeout);
    common::IoResult received = common::recv_some(fd, buffer);  // blocks: here go the 5 s
    switch (received.status) {
      case common::IoStatus::ok:
        framer.feed(std::string_view(buffer.data(), received.bytes));
        break;
      case common::IoStatus::would_block:  // SO_RCVTIMEO ran out
        throw std::runtime_error(errors::timed_out(timeout.count()));
      case common::IoStatus::closed:
        throw std::runtime_error(errors::closed_early(address));
      case common::IoStatus::error:
        throw std::runtime_error(errors::recv_failed(address, received.error));
    }
  }
}  // `socket` closes the connection here, whichever way we leave
// [/docs]

// [docs:stage0-run]
void run(const common::ClientOptions& options, common::RunReport& report) {
  const common::Address address = options.address();
  for (int id : options.request_ids()) {
    send_one(address, id, options.timeout(), report);  // the next waits for this one
  }
}
// [/docs]

// [docs:stage0-run-threads]
void run_threads(const common::ClientOptions& options, common::RunReport& report,
                 std::size_t max_threads) {
  const common::Address address = options.address();
  std::vector<std::jthread> threads;  // each joins when the vector goes, at the end of run
  std::string no_thread;              // why the remaining requests cannot have one
  for (int id : options.request_ids()) {
    if (no_thread.empty() && threads.size() == max_threads) {
      no_thread = "no thread for it: --threads starts at most " + std::to_string(max_threads) +
                  " threads on this machine";
    }
    if (!no_thread.empty()) {
      report.request_failed(id, no_thread);
      continue;
    }
    try {
      threads.emplace_back(send_one, std::cref(address), id, options.timeout(), std::ref(report));
    } catch (const std::system_error& error) {  // the system has no thread left for us
      no_thread = std::string("no thread for it: ") + error.what();
      report.request_failed(id, no_thread);
    }
  }
}
// [/docs]

std::size_t thread_limit() {
  // Every thread is a kernel task with an id from the same space as every process's
  // pid: at most pid_max (32768 here; systemd sets 4194304) machine-wide, and threads-max
  // tasks in all. A client that took them all would leave the machine unable to start
  // anything else, your shell's next command included, so we stop well below: at
  // 10,000, or a quarter of threads-max if that is less.
  std::size_t limit = 10'000;
  std::ifstream threads_max("/proc/sys/kernel/threads-max");
  if (std::size_t system_wide = 0; threads_max >> system_wide) {
    limit = std::min(limit, std::max<std::size_t>(system_wide / 4, 1));
  }
  return limit;
}

}  // namespace stage0
