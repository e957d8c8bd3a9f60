// client.hpp: stage 3's client, one linear generator per request (client.cpp).
#pragma once
#include <iosfwd>
#include "common/client_options.hpp"
#include "common/run_report.hpp"

namespace stage3 {

// Every request at once, each a Task on one EventLoop; errors go to `report`, except what
// no request can handle (select: an fd >= FD_SETSIZE), thrown. `trace`: --trace-loop.
void run(const common::ClientOptions& options, common::RunReport& report,
         std::ostream* trace = nullptr);

}  // namespace stage3
