// client.hpp: stage 4's client, as main.cpp and the tests call it.
#pragma once

#include "common/client_options.hpp"
#include "common/run_report.hpp"
#include "stage4_coroutines/event_loop.hpp"

namespace stage4 {

struct Flags {                        // stage 4's own options (extras/command_line.cpp)
  bool sequential = false;            // --sequential: await each request in turn
  double blocking_sleep_seconds = 0;  // --blocking-sleep S: block the thread S s first
  double sleep_seconds = 0;           // --sleep S: co_await sleep(S) first
  LoopObserver* observer = nullptr;   // --trace-loop, --debug (extras/loop_trace.hpp)
};

// Sends the requests at once (or one after another with --sequential), reporting each one's
// start and outcome to `report`. Throws what is no one request's fault (select: FD_SETSIZE).
void run(const common::ClientOptions& options, common::RunReport& report, const Flags& flags = {});
// One request: connect, send "Request <id>\n", read the response line. Throws SocketError or
// NetError (socket(): out of descriptors).
Task<std::string> make_tcp_request(EventLoop& loop, const common::Address& address, int id);

}  // namespace stage4
