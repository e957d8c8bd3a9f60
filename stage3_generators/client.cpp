// stage3_generators/client.cpp -- Stage 3: one linear generator per request.
//
// Stage 2's request was an object with a state_; here make_tcp_request says "connect, send,
// read" in order and yields a future wherever it waits, its locals kept in a C++20 frame.
// By hand: Python 3.4's @asyncio.coroutine and `yield from` (Generator, Future, Task, loop).
// What still hurts: each wait is an untyped heap future, yielded then read, and `yield from`
// passes each resume down a chain of frames. Stage 4's co_await (PEP 492) gives the value,
// typed, with no heap future, and jumps into a coroutine and back by symmetric transfer.
#include "stage3_generators/client.hpp"

#include "common/protocol.hpp"
#include "stage3_generators/gather.hpp"
#include "stage3_generators/socket_ops.hpp"
#include "stage3_generators/wait_for.hpp"

namespace stage3 {
namespace {
// [docs:stage3-make-tcp-request]
Generator<FuturePtr, std::string> make_tcp_request(EventLoop& loop, const common::Address& address,
                                                   int id) {
  Socket socket(loop);
  auto connected = sock_connect(loop, socket.get(), address);
  co_yield connected;
  connected->result();
  auto sent = sock_sendall(loop, socket.get(), common::protocol::request_line(id));
  co_yield sent;
  sent->result();
  co_return co_yield yield_from(sock_read_line(loop, socket.get()));
}  // the socket closes here, when the frame ends (or when a timeout destroys it earlier)
// [/docs]

struct Shared {  // what every request of one run shares; run() outlives the tasks using it
  EventLoop& loop;
  const common::Address address;
  double timeout_seconds;  // per request
  common::RunReport& report;
};

// [docs:stage3-report-request]
// One request as the report sees it: it starts, then ends exactly once, in time or not.
Generator<FuturePtr> report_request(const Shared& shared, int id) {
  shared.report.request_started(id);
  auto request = shared.loop.create_task(make_tcp_request(shared.loop, shared.address, id),
                                         "request " + std::to_string(id));
  auto response = wait_for(shared.loop, request, shared.timeout_seconds);
  co_yield response;
  try {
    shared.report.request_succeeded(id, response->result());
  } catch (...) {  // refused, reset, timed out... (or no one request's fault: rethrown)
    common::client_errors::report_failure(shared.report, id, shared.address);
  }
}
}  // namespace

void run(const common::ClientOptions& options, common::RunReport& report, LoopObserver* observer) {
  EventLoop loop(options.selector);
  loop.trace_to(observer);
  const Shared shared{loop, options.address(), options.timeout_seconds, report};
  std::vector<std::shared_ptr<Task<void>>> requests;
  for (int id : options.request_ids()) {
    requests.push_back(
        loop.create_task(report_request(shared, id), "report " + std::to_string(id)));
  }
  loop.run_until_complete(gather(requests));  // what no request caught (FD_SETSIZE) comes out
}
// [/docs]
}  // namespace stage3
