// Stage 4: C++20 native coroutines. The client reads like blocking code and runs like stage 3.
// Stage 3 ran each request in a C++20 coroutine frame too, but as a generator (Python 3.4):
// it yielded futures and a Task pumped it. Here, native awaitables (PEP 492): each thing we
// wait for says how to wait for it (the awaiter protocol), `co_await x` gives x's own result,
// typed, with no heap future nor callback per wait, and awaiting a task jumps into it and
// back (symmetric transfer). C++ makes explicit what Python hides: who owns a frame, when it
// dies (a cancelled task is a destroyed frame), that a reference held across a co_await must
// outlive it. Still, each wait is a register, a wake-up and a retried call: see stage 5.
#include "stage4_coroutines/client.hpp"

#include <thread>
#include <vector>

#include "common/protocol.hpp"
#include "stage4_coroutines/gather.hpp"
#include "stage4_coroutines/socket_ops.hpp"
#include "stage4_coroutines/wait_for.hpp"

namespace stage4 {

// [docs:stage4-make-tcp-request]
Task<std::string> make_tcp_request(EventLoop& loop, const common::Address& address, int id) {
  common::Fd socket = common::make_tcp_socket();
  co_await sock_connect(loop, socket.get(), address);
  co_await sock_sendall(loop, socket.get(), common::protocol::request_line(id));
  co_return co_await sock_read_line(loop, socket.get());
}  // the socket closes here, when the frame ends (or when a timeout destroys it earlier)
// [/docs]

namespace {

// What every request shares. It lives in run(), which outlives every task: they may hold a
// reference to it across their co_awaits.
struct Shared {
  EventLoop& loop;
  const common::Address address;
  const common::ClientOptions& options;
  common::RunReport& report;
  const Flags& flags;
};

// One request as the report sees it: it starts, then ends exactly once, in time or not.
Task<void> report_request(const Shared& shared, int id) {
  shared.report.request_started(id);
  if (shared.flags.blocking_sleep_seconds > 0) {
    // [docs:stage4-blocking-sleep]
    // --blocking-sleep blocks the thread, so the loop and every other request stop too:
    // 10 requests pause one after another. --debug reports each such step.
    std::this_thread::sleep_for(common::Seconds(shared.flags.blocking_sleep_seconds));
    // [/docs]
  }
  if (double pause = shared.flags.sleep_seconds; pause > 0)  // --sleep: the right way
    co_await sleep(shared.loop, common::Seconds(pause));     // (the others run meanwhile)
  Task<std::string> request = make_tcp_request(shared.loop, shared.address, id);
  shared.loop.set_name(request, "request " + std::to_string(id));  // stage 3's names
  try {
    std::string response =
        co_await wait_for(shared.loop, std::move(request), shared.options.timeout());
    shared.report.request_succeeded(id, std::move(response));
  } catch (...) {  // refused, reset, timed out... (or no one request's fault: rethrown)
    common::client_errors::report_failure(shared.report, id, shared.address);
  }
}

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
