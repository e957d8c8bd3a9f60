// client.hpp: stage 4's client, as main.cpp and the tests call it.
#pragma once

#include <string>

#include "common/client_options.hpp"
#include "common/net.hpp"
#include "common/run_report.hpp"
#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/task.hpp"

namespace stage4 {

// Stage 4's own command-line options (main.cpp adds them to the shared ones).
struct Flags {
  bool sequential = false;            // --sequential: await each request in turn (anti-pattern)
  double blocking_sleep_seconds = 0;  // --blocking-sleep S: each request first blocks the
                                      //   thread S seconds (anti-pattern: the loop stalls)
  double sleep_seconds = 0;           // --sleep S: each request first co_awaits sleep(S)
  LoopObserver* observer = nullptr;   // --trace-loop, --debug (extras/loop_trace.hpp)
};

// Sends options.requests requests at once (or one after another with --sequential),
// reporting each one's start and outcome to `report`. Throws what is not one request's
// fault (select() refusing an fd >= FD_SETSIZE), after the other requests have ended.
void run(const common::ClientOptions& options, common::RunReport& report, const Flags& flags = {});

// One request: connect, send "Request <id>\n", read the response line. Throws
// common::client_errors::SocketError or common::NetError when it fails.
Task<std::string> make_tcp_request(EventLoop& loop, const common::Address& address, int id);

}  // namespace stage4
