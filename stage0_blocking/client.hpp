// client.hpp: stage 0's client, blocking sockets (the lesson is in client.cpp).
#pragma once

#include <cstddef>
#include <string>

#include "common/clock.hpp"
#include "common/net.hpp"
#include "common/run_report.hpp"

namespace stage0 {

// Connects to `address`, sends "Request <id>\n" and returns the answer line (without
// its '\n'). Blocks the calling thread throughout; gives up after `timeout`.
// Throws std::runtime_error with the words of common/client_errors.hpp.
std::string make_tcp_request(const common::Address& address, int id, common::Seconds timeout);

// The article's first client: the requests one after another (10 x 5 s = 50 s).
void run(const common::ClientOptions& options, common::RunReport& report);

// --threads: every request in a thread of its own (10 requests: 5 s), at most
// `max_threads` of them; requests past that fail with a message naming the limit.
void run_threads(const common::ClientOptions& options, common::RunReport& report,
                 std::size_t max_threads);

// The most threads run_threads() should start on this machine (see client.cpp).
std::size_t thread_limit();

}  // namespace stage0
