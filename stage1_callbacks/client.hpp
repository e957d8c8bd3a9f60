// client.hpp: stage 1's client, nested callbacks on a selector loop (the lesson is in
// client.cpp).
#pragma once

#include "common/client_options.hpp"
#include "common/run_report.hpp"

namespace stage1 {

// Starts every request at once (ids N-1 down to 0), each a chain of callbacks on one
// EventLoop, and runs the loop until all of them have finished. Request errors go to
// `report`; what the Selector cannot do at all (select: an fd >= FD_SETSIZE) is thrown.
void run(const common::ClientOptions& options, common::RunReport& report);

}  // namespace stage1
