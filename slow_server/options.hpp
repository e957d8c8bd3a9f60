// options.hpp: slow_server's command line, parsed with CLI11 into ServerOptions. Apart
// from main.cpp so tests can check it in process (tests/slow_server/options_test.cpp).
#pragma once

#include "common/cli_fwd.hpp"
#include "slow_server/server.hpp"

namespace slow_server {

// Adds --host --port --delay --framing --max-connections, the deadlines (--idle-timeout
// --request-timeout --send-timeout --drain-timeout), the memory budget
// (--max-owed-per-connection --max-owed-answers --max-buffered-bytes), --verbose --selector
// and the teaching aids (--fault, --fault-every, --trickle-gap) to `app`.
void add_server_options(CLI::App& app, ServerOptions& options);

}  // namespace slow_server
