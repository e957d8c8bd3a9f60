// Stage 5: the stage 4 client on io_uring. make_tcp_request and everything around it read
// as in stage 4 (diff them: scripts/stage_diff.sh make-tcp-request); what changed is below
// them. Stage 4 waited for readiness: register the fd, wait, wake, make the call, unregister,
// two or three system calls per wait. Here each co_await submits the call itself and the
// loop collects many completions, and submits many calls, in one io_uring_enter. C++ adds
// a rule Python's proactor hides: the kernel writes into this frame while it is suspended,
// so the frame must outlive the operation, even when a timeout destroys it (event_loop.hpp).
// Still hurting: one thread, one ring; a million connections want many (docs/05, the road).
#include "stage5_io_uring/client.hpp"

#include <thread>
#include <vector>

#include "common/protocol.hpp"
#include "stage4_coroutines/gather.hpp"
#include "stage4_coroutines/wait_for.hpp"
#include "stage5_io_uring/socket_ops.hpp"

namespace stage5 {

// [docs:stage5-make-tcp-request]
Task<std::string> make_tcp_request(EventLoop& loop, const common::Address& address, int id) {
  common::Fd socket = common::make_tcp_socket();
  co_await sock_connect(loop, socket.get(), address);
  co_await sock_sendall(loop, socket.get(), common::protocol::request_line(id));
  co_return co_await sock_read_line(loop, socket.get());
}  // the socket closes here, when the frame ends (or when a timeout destroys it earlier)
// [/docs]

namespace {

using stage4::gather;
using stage4::sleep;
using stage4::wait_for;

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
    // --blocking-sleep blocks the thread, so the loop and every other request stop too:
    // 10 requests pause one after another. --debug reports each such step.
    std::this_thread::sleep_for(common::Seconds(shared.flags.blocking_sleep_seconds));
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

Task<void> all_at_once(const Shared& shared) {
  std::vector<Task<void>> requests;
  for (int id : shared.options.request_ids()) {
    requests.push_back(report_request(shared, id));
    shared.loop.set_name(requests.back(), "report " + std::to_string(id));
  }
  co_await gather(shared.loop, std::move(requests));
}

// --sequential: the anti-pattern. Each co_await waits for one request to end before the
// next one starts, so N requests take N x delay, as in stage 0.
Task<void> one_after_another(const Shared& shared) {
  for (int id : shared.options.request_ids()) co_await report_request(shared, id);
}

}  // namespace

void run(const common::ClientOptions& options, common::RunReport& report, const Flags& flags) {
  EventLoop loop({.observer = flags.observer});  // --selector means nothing here
  const Shared shared{loop, options.address(), options, report, flags};
  loop.run_until_complete(flags.sequential ? one_after_another(shared) : all_at_once(shared));
}

}  // namespace stage5
