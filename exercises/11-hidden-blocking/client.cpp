// exercises/11-hidden-blocking/client.cpp -- Exercise 11 (stage 4, anti-patterns): find
// the blocking call.
//
// The task is docs/exercises/11-hidden-blocking.md. This client is written with stage 4's
// coroutines and sends every request at once, yet 10 requests take 10 delays, as in
// stage 0: somewhere below, a call blocks the thread, so the loop and every other request
// wait with it. Find it with --debug (the check shows you what --debug reports), then
// fix it. Check your work: bash scripts/exercise.sh 11-hidden-blocking
#include "client.hpp"  // this directory's: the check builds the solution's copy the same way

#include <poll.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/client_errors.hpp"
#include "common/protocol.hpp"
#include "stage4_coroutines/gather.hpp"
#include "stage4_coroutines/socket_ops.hpp"
#include "stage4_coroutines/wait_for.hpp"

namespace exercises {

using stage4::EventLoop;
using stage4::Task;
namespace errors = common::client_errors;

namespace {

// What every request shares. It lives in run(), which outlives every task.
struct Shared {
  EventLoop& loop;
  const common::Address address;
  const common::ClientOptions& options;
  common::RunReport& report;
};

// A server that accepts and then says nothing must not hold a request forever: give up if
// no answer has begun to arrive within `timeout`.
void expect_answer_within(int fd, common::Seconds timeout) {
  pollfd watched{fd, POLLIN, 0};
  const auto limit = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
  if (::poll(&watched, 1, static_cast<int>(limit.count())) == 0)
    throw std::runtime_error(errors::timed_out(timeout.count()));
}

// One request: connect, send "Request <id>\n", read the answer line.
Task<std::string> make_tcp_request(const Shared& shared, int id) {
  common::Fd socket = common::make_tcp_socket();
  co_await stage4::sock_connect(shared.loop, socket.get(), shared.address);
  co_await stage4::sock_sendall(shared.loop, socket.get(), common::protocol::request_line(id));
  expect_answer_within(socket.get(), shared.options.timeout());
  co_return co_await stage4::sock_read_line(shared.loop, socket.get());
}

// One request as the report sees it: it starts, then ends exactly once, in time or not.
Task<void> report_request(const Shared& shared, int id) {
  shared.report.request_started(id);
  Task<std::string> request = make_tcp_request(shared, id);
  shared.loop.set_name(request, "request " + std::to_string(id));  // what --debug names
  try {
    std::string response =
        co_await stage4::wait_for(shared.loop, std::move(request), shared.options.timeout());
    shared.report.request_succeeded(id, std::move(response));
  } catch (...) {  // refused, reset, timed out... (or no one request's fault: rethrown)
    errors::report_failure(shared.report, id, shared.address);
  }
}

Task<void> all_at_once(const Shared& shared) {
  std::vector<Task<void>> requests;
  for (int id : shared.options.request_ids()) requests.push_back(report_request(shared, id));
  co_await stage4::gather(shared.loop, std::move(requests));
}

}  // namespace

void run(const common::ClientOptions& options, common::RunReport& report,
         stage4::LoopObserver* observer) {
  EventLoop loop({.selector = options.selector, .observer = observer});
  const Shared shared{loop, options.address(), options, report};
  loop.run_until_complete(all_at_once(shared));
}

}  // namespace exercises
