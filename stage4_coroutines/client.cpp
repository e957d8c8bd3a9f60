// Stage 4: C++20 native coroutines. The client reads like blocking code and runs like stage 3.
//
// Before: stage 3 (stage3_generators/) already ran each request in a C++20 coroutine
// frame, but as a generator, the way Python 3.4 wrote coroutines (`yield from`,
// @asyncio.coroutine): make_tcp_request yielded a future wherever it waited (one type,
// FuturePtr, for all), a Task pumped it with next() when that future's callback fired, and
// `yield from` passed each resume by hand down the chain of generators.
//
// What changed: native awaitables, as in PEP 492 (`async def`/`await`). The awaiter
// protocol (await_ready / await_suspend / await_resume) lets each thing we wait for (a
// timer, a socket, a task) say how to wait for it, and `co_await x` gives x's own result,
// typed: no heap future, no callback per wait. Awaiting a task jumps into it and back
// (symmetric transfer, task.hpp) instead of passing through the chain. The loop still steps tasks;
// a step is just handle.resume(). make_tcp_request is the article's coroutine, line for line.
//
// What C++ makes explicit that Python hides: who owns a frame (its Task), when it dies (a
// cancelled task is a destroyed frame), that a reference held across a co_await must
// outlive it. What still hurts: a blocking call in a coroutine stops every other one
// (--sequential, --blocking-sleep and --debug show it), and readiness itself: each wait is
// a register, a wake-up and a retried system call. Stage 5 hands the kernel the whole
// operation (io_uring) and is told when it is done.
#include "stage4_coroutines/client.hpp"

#include <chrono>
#include <thread>
#include <utility>
#include <vector>

#include "common/client_errors.hpp"
#include "common/protocol.hpp"
#include "stage4_coroutines/gather.hpp"
#include "stage4_coroutines/socket_ops.hpp"
#include "stage4_coroutines/wait_for.hpp"

namespace stage4 {

namespace errors = common::client_errors;

// [docs:stage4-make-tcp-request]
Task<std::string> make_tcp_request(EventLoop& loop, const common::Address& address, int id) {
  common::Fd socket = common::make_tcp_socket();
  co_await sock_connect(loop, socket.get(), address);
  co_await sock_sendall(loop, socket.get(), common::protocol::request_line(id));
  co_return co_await sock_read_line(loop, socket.get());
}  // the socket closes here, when the frame ends (or when a timeout destroys it earlier)
// [/docs]

namespace {

// What every request of the run shares. It lives in run(), which outlives every task:
// they may hold a reference to it across their co_awaits.
struct Shared {
  EventLoop& loop;
  const common::Address address;
  const common::ClientOptions& options;
  common::RunReport& report;
  const Flags& flags;
};

// --sleep and --blocking-sleep: pause before connecting, the right way or the wrong way.
Task<std::string> pause_then(const Shared& shared, Task<std::string> request) {
  if (shared.flags.blocking_sleep_seconds > 0) {
    // [docs:stage4-blocking-sleep]
    // Blocks the thread, so the loop and every other request stop too: 10 requests
    // pause one after another. --debug reports each such step.
    std::this_thread::sleep_for(common::Seconds(shared.flags.blocking_sleep_seconds));
    // [/docs]
  } else {
    co_await sleep(shared.loop, common::Seconds(shared.flags.sleep_seconds));  // the others run
  }
  co_return co_await std::move(request);
}

// [docs:stage4-report-request]
// One request as the report sees it: it starts, then ends exactly once, in time or not.
Task<void> report_request(const Shared& shared, int id) {
  shared.report.request_started(id);
  Task<std::string> request = make_tcp_request(shared.loop, shared.address, id);
  if (shared.flags.blocking_sleep_seconds > 0 || shared.flags.sleep_seconds > 0) {
    request = pause_then(shared, std::move(request));
  }
  shared.loop.set_name(request, "request " + std::to_string(id));  // stage 3's names
  try {
    std::string response =
        co_await wait_for(shared.loop, std::move(request), shared.options.timeout());
    shared.report.request_succeeded(id, std::move(response));
  } catch (const TimeoutError&) {
    shared.report.request_failed(id, errors::timed_out(shared.options.timeout_seconds));
  } catch (const errors::SocketError& error) {  // refused, reset, closed early...
    shared.report.request_failed(id, errors::describe(error, shared.address));
  } catch (const common::NetError& error) {  // socket(): out of descriptors, say
    shared.report.request_failed(id, error.what());
  } catch (const std::exception& error) {  // not this request's fault: it stops the run
    shared.report.request_failed(id, error.what());
    throw;
  }
}
// [/docs]

// [docs:stage4-all-at-once]
Task<void> all_at_once(const Shared& shared) {
  std::vector<Task<void>> requests;
  for (int id : shared.options.request_ids()) {
    requests.push_back(report_request(shared, id));
    shared.loop.set_name(requests.back(), "report " + std::to_string(id));
  }
  co_await gather(shared.loop, std::move(requests));
}
// [/docs]

// [docs:stage4-sequential]
// --sequential: the anti-pattern. Each co_await waits for one request to end before the
// next one starts, so N requests take N x delay, as in stage 0.
Task<void> one_after_another(const Shared& shared) {
  for (int id : shared.options.request_ids()) co_await report_request(shared, id);
}
// [/docs]

}  // namespace

void run(const common::ClientOptions& options, common::RunReport& report, const Flags& flags) {
  EventLoop loop({.selector = options.selector, .observer = flags.observer});
  const Shared shared{loop, options.address(), options, report, flags};
  loop.run_until_complete(flags.sequential ? one_after_another(shared) : all_at_once(shared));
}

}  // namespace stage4
