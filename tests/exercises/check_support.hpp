// check_support.hpp: what the exercise checks share: a slow_server's options, checks of
// every request's outcome, and a listener that never accepts.
#pragma once

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/fd.hpp"
#include "common/net.hpp"
#include "common/run_report.hpp"
#include "slow_server/server.hpp"
#include "tests/support/server_thread.hpp"
#include "tests/support/timing.hpp"

namespace exercise_check {

using test_support::server_options;  // server_options(delay, fault, fault_every)

// Every request succeeded with the response `expected(id)`. A student's first attempt is
// usually wrong the same way for every request: only the first wrong one is reported.
template <typename Expected>
void check_all_answered(const std::vector<common::RequestResult>& results, Expected expected) {
  REQUIRE_FALSE(results.empty());
  for (const auto& result : results) {
    if (result.ok && result.response == expected(result.id)) continue;
    CAPTURE(result.id);
    CHECK(result.error == "");
    CHECK(result.response == expected(result.id));
    return;
  }
}

// Every request failed with exactly `error` (without the report's "Request <id> failed: ").
inline void check_all_failed_with(const std::vector<common::RequestResult>& results,
                                  const std::string& error) {
  REQUIRE_FALSE(results.empty());
  for (const auto& result : results) {
    if (!result.ok && result.error == error) continue;
    CAPTURE(result.id);
    CHECK_FALSE(result.ok);
    CHECK(result.error == error);
    return;
  }
}

// A port where connect() neither succeeds nor fails: something listens there but never
// accepts, and its accept queue is already full. Linux then drops every new SYN, so the
// client's connect stays "in progress" until it gives up: a server too busy to answer,
// without any network.
class NeverAccepting {
 public:
  NeverAccepting() : listener_(common::listen_tcp("127.0.0.1", 0, /*backlog=*/0)) {
    port_ = common::local_port(listener_.get());
    // Backlog 0 still queues one connection: fill the queue with ours.
    filler_ = common::make_tcp_socket(/*blocking=*/true);
    common::Address address = common::resolve_address("127.0.0.1", port_);
    if (common::start_connect(filler_.get(), address) != common::ConnectStatus::connected) {
      throw std::runtime_error("NeverAccepting: the first connect did not complete");
    }
  }
  std::uint16_t port() const { return port_; }

 private:
  common::Fd listener_;
  common::Fd filler_;
  std::uint16_t port_ = 0;
};

}  // namespace exercise_check
