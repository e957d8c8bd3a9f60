// client.hpp: what the check of exercise 09 calls (docs/exercises/09-thread-pool.md).
// You do not need to change this file: the work is in client.cpp.
#pragma once

#include <cstddef>

#include "common/client_options.hpp"
#include "common/run_report.hpp"

namespace exercises {

// Stage 0's --threads, bounded: `workers` threads (at least 1), each taking the next
// request from a queue they share, sending it with stage0::make_tcp_request (blocking)
// and reporting it, until the queue is empty. At most `workers` requests are in flight,
// and no more than `workers` threads are ever started, however many requests there are.
// Returns when every request has been reported.
void run_pool(const common::ClientOptions& options, common::RunReport& report, std::size_t workers);

}  // namespace exercises
