// stage3_generators/client.cpp -- Stage 3: one linear generator per request.
//
// Stage 2 made a request an object: members for what outlives a wait, a method per step, a
// state_ to pick the next; "connect, send, read" was written nowhere but in transitions.
// Here make_tcp_request says it in that order and yields a future wherever it must wait;
// its locals wait in its frame. That frame is already C++20's (co_yield, a promise_type, a
// frame the compiler allocates). What we write by hand is Python 3.4's generator protocol
// (`yield from`, @asyncio.coroutine): Generator, Future, Task, EventLoop, socket_ops.
//
// What still hurts: every coroutine yields futures, one type (FuturePtr) for all, so each
// wait is two statements and what comes back is untyped; each wait costs a heap Future and
// a callback; a Task pumps the generator with next(), and `yield from` passes each resume
// down the chain of generators. Stage 4 (stage4_coroutines), PEP 492's native awaitables,
// uses C++20's awaiter protocol: `co_await` gives the value, typed, with no heap future nor
// callback per wait, and symmetric transfer jumps into an awaited coroutine and back.
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

// What every request of one run shares. It lives in run(), which outlives every task, so
// the generators may hold a reference to it across their co_yields.
struct Shared {
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
  } catch (const common::client_errors::SocketError& error) {
    shared.report.request_failed(id, common::client_errors::describe(error, shared.address));
  } catch (const TimeoutError& error) {
    shared.report.request_failed(id, error.what());
  } catch (const common::NetError& error) {  // socket(): out of descriptors, say
    shared.report.request_failed(id, error.what());
  } catch (const std::exception& error) {  // not this request's fault: it stops the run
    shared.report.request_failed(id, error.what());
    throw;
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
