// Stage 4: C++20 coroutines. The client reads like blocking code and runs like stage 3.
//
// Before: stage 3 (stage3_generators/) wrote make_tcp_request as one generator that
// yields a future wherever it must wait, and built the machinery by hand: a Generator, a
// Future per wait, a Task that steps the generator each time a future resolves, an
// EventLoop. It showed the idea, at a price: `co_yield` where we mean "wait", a future
// and a callback allocated for every wait, and a Task that has to pump values through.
//
// What changed: C++20 gives the language the piece stage 3 faked. `co_await x` suspends
// the function (its locals are already in a heap frame, where the compiler put them),
// hands its handle to x, and later resumes on the next line. Stage 2's class of states
// and stage 3's hand-written Task::step are now the compiler's job: it turns each
// coroutine into a state machine, one state per co_await. What remains for us is small
// (task.hpp, event_loop.hpp, one header per awaitable): the awaiter protocol,
// await_ready / await_suspend / await_resume, tells the compiler how to wait for a timer,
// a socket, a Future or another task. make_tcp_request below is the article's coroutine,
// line for line: connect, send, read, each with `co_await`; no callbacks, no states.
//
// What still hurts: the lifetimes that Python's garbage collector hid. A coroutine frame
// has one owner (its Task), references held across a co_await must outlive it, and a
// blocking call inside a coroutine stops every other one. The flags below let you watch
// that: --sequential awaits one request after another (50 s for 10), --blocking-sleep
// stalls the whole loop, and --debug names the task that did it. Past this stage is
// the road to a million (docs/): the same loop, measured.
#include "stage4_coroutines/client.hpp"

#include <chrono>
#include <thread>
#include <utility>
#include <vector>

#include "common/client_errors.hpp"
#include "common/protocol.hpp"
#include "stage4_coroutines/gather.hpp"
#include "stage4_coroutines/sleep.hpp"
#include "stage4_coroutines/socket_ops.hpp"
#include "stage4_coroutines/wait_for.hpp"

namespace stage4 {

namespace client_errors = common::client_errors;

// [docs:stage4-make-tcp-request]
Task<std::string> make_tcp_request(EventLoop& loop, const common::Address& address, int id) {
  common::Fd socket = common::make_tcp_socket();
  co_await sock_connect(loop, socket.get(), address);
  co_await sock_sendall(loop, socket.get(), common::protocol::request_line(id), address);
  co_return co_await sock_read_line(loop, socket.get(), address);
}  // the socket closes here, when the frame ends (or when a timeout destroys it earlier)
// [/docs]

namespace {

// What every request of one run shares. It lives in run(), which outlives every task,
// so the tasks may hold a reference to it across their co_awaits.
struct Run {
  EventLoop& loop;
  const common::Address address;
  const common::ClientOptions& options;
  common::RunReport& report;
  const Flags& flags;
};

// --sleep and --blocking-sleep: pause before connecting, the right way or the wrong way.
Task<std::string> pause_then(const Run& run, Task<std::string> request) {
  if (run.flags.blocking_sleep_seconds > 0) {
    // [docs:stage4-blocking-sleep]
    // Blocks the thread, so the loop and every other request stop too: 10 requests
    // pause one after another. --debug reports each such step.
    std::this_thread::sleep_for(common::Seconds(run.flags.blocking_sleep_seconds));
    // [/docs]
  } else {
    co_await sleep(run.loop, common::Seconds(run.flags.sleep_seconds));  // the others run meanwhile
  }
  co_return co_await std::move(request);
}

// [docs:stage4-report-request]
// One request as the report sees it: it starts, then ends exactly once, in time or not.
Task<void> report_request(const Run& run, int id) {
  run.report.request_started(id);
  Task<std::string> request = make_tcp_request(run.loop, run.address, id);
  if (run.flags.blocking_sleep_seconds > 0 || run.flags.sleep_seconds > 0) {
    request = pause_then(run, std::move(request));
  }
  request.set_name("make_tcp_request(" + std::to_string(id) + ")");
  try {
    std::string response = co_await wait_for(run.loop, std::move(request), run.options.timeout());
    run.report.request_succeeded(id, std::move(response));
  } catch (const TimeoutError&) {
    run.report.request_failed(id, client_errors::timed_out(run.options.timeout_seconds));
  } catch (const RequestError& error) {
    run.report.request_failed(id, error.what());
  } catch (const common::NetError& error) {  // socket(): out of descriptors, say
    run.report.request_failed(id, error.what());
  } catch (const std::exception& error) {  // not this request's fault: it stops the run
    run.report.request_failed(id, error.what());
    throw;
  }
}
// [/docs]

// [docs:stage4-all-at-once]
Task<void> all_at_once(const Run& run) {
  std::vector<Task<void>> requests;
  for (int id : run.options.request_ids()) {
    requests.push_back(report_request(run, id));
    requests.back().set_name("request " + std::to_string(id));  // stage 3's name for it
  }
  co_await gather(run.loop, std::move(requests));
}
// [/docs]

// [docs:stage4-sequential]
// --sequential: the anti-pattern. Each co_await waits for one request to end before the
// next one starts, so N requests take N x delay, as in stage 0.
Task<void> one_after_another(const Run& run) {
  for (int id : run.options.request_ids()) co_await report_request(run, id);
}
// [/docs]

}  // namespace

void run(const common::ClientOptions& options, common::RunReport& report, const Flags& flags) {
  EventLoop loop({.selector = options.selector,
                  .debug = flags.debug,
                  .trace = flags.trace_loop,
                  .log = flags.log});
  const Run run{loop, options.address(), options, report, flags};
  loop.run_until_complete(flags.sequential ? one_after_another(run) : all_at_once(run));
}

}  // namespace stage4
