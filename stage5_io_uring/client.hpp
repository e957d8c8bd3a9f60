// client.hpp: stage 5's client, as main.cpp and the tests call it. Its flags are stage 4's.
#pragma once

#include "common/client_options.hpp"
#include "common/run_report.hpp"
#include "stage4_coroutines/client.hpp"
#include "stage5_io_uring/event_loop.hpp"

namespace stage5 {

using stage4::Flags;  // --sequential, --sleep, --blocking-sleep, the observer

// Sends the requests at once (or one after another with --sequential), reporting each one's
// start and outcome to `report`. Throws std::runtime_error if the ring cannot be set up.
void run(const common::ClientOptions& options, common::RunReport& report, const Flags& flags = {});
// One request: connect, send "Request <id>\n", read the response line. Throws SocketError or
// NetError (socket(): out of descriptors).
Task<std::string> make_tcp_request(EventLoop& loop, const common::Address& address, int id);

}  // namespace stage5
