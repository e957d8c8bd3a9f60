// client.hpp: stage 3's client, one linear generator per request (the lesson is in
// client.cpp).
#pragma once

#include <iosfwd>

#include "common/client_options.hpp"
#include "common/run_report.hpp"

namespace stage3 {

// Starts every request at once (ids N-1 down to 0), each a Task on one EventLoop, and
// runs the loop until all of them have finished. Request errors go to `report`; what the
// Selector cannot do at all (select: an fd >= FD_SETSIZE) is thrown.
void run(const common::ClientOptions& options, common::RunReport& report);

// The same, writing the loop's dance to `trace` (--trace-loop): one line per task step,
// yield, resolved future and select() wake-up.
void run(const common::ClientOptions& options, common::RunReport& report, std::ostream* trace);

}  // namespace stage3
