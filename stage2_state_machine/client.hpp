// client.hpp: stage 2's client, a class-based state machine (the lesson is in client.cpp).
#pragma once

#include "common/client_options.hpp"
#include "common/run_report.hpp"

namespace stage2 {

// Starts every request at once (ids N-1 down to 0), each a TcpClient on one EventLoop,
// and runs the loop until all of them have finished. Request errors go to `report`;
// what the Selector cannot do at all (select: an fd >= FD_SETSIZE) is thrown.
void run(const common::ClientOptions& options, common::RunReport& report);

}  // namespace stage2
