// client.hpp: stage 3's client, one linear generator per request (client.cpp).
#pragma once
#include <iosfwd>

#include "common/client_options.hpp"
#include "common/run_report.hpp"

namespace stage3 {

// Every request at once; errors go to `report`, except one no request caused (FD_SETSIZE).
void run(const common::ClientOptions& options, common::RunReport& report,
         std::ostream* trace = nullptr);

}  // namespace stage3
