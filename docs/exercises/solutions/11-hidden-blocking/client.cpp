// docs/exercises/solutions/11-hidden-blocking/client.cpp -- the reference solution of
// exercise 11 (stage 4, anti-patterns): the blocking call found and gone
// (docs/exercises/11-hidden-blocking.md).
//
// The starting point called expect_answer_within() between sending and reading: a
// poll(2) on one socket, with the request's whole timeout. It looked like a guard; it was
// a wait, made by the thread instead of the loop, so each request's step held the loop
// for a whole delay and the requests ran one after another. --debug named them: "request
// 9 ran for 0.250 s without yielding". The fix removes it. Nothing is lost: the guard it
// meant to be is wait_for() in report_request(), which a co_await can honour: when the
// timeout fires, the loop destroys the waiting frame, wherever it is suspended.
#include "client.hpp"  // this directory's: the check builds the solution's copy the same way

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

// One request: connect, send "Request <id>\n", read the answer line.
Task<std::string> make_tcp_request(const Shared& shared, int id) {
  common::Fd socket = common::make_tcp_socket();
  co_await stage4::sock_connect(shared.loop, socket.get(), shared.address);
  co_await stage4::sock_sendall(shared.loop, socket.get(), common::protocol::request_line(id));
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
