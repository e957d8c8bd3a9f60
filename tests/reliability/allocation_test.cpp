// An allocation failure closes one connection, never the server (docs/protocol.md,
// "Limits"). This binary replaces the global operator new, so that one allocation on the
// server's thread can be made to fail on purpose; it is a binary of its own because the
// replacement applies to everything linked into it.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "common/protocol.hpp"
#include "tests/slow_server/test_client.hpp"
#include "tests/support/server_thread.hpp"

namespace {

// Armed: the next allocation of a size within [fail_from, fail_to] fails, unless it comes
// from a thread that is exempt (the test's own). The range is the size of a 1000-byte
// line, so nothing else the server does in the meantime (small answers, a select) hits it.
std::atomic<bool> armed{false};
constexpr std::size_t fail_from = 1000, fail_to = 1100;
thread_local bool exempt = false;

}  // namespace

void* operator new(std::size_t size) {
  if (size >= fail_from && size <= fail_to && !exempt && armed.exchange(false))
    throw std::bad_alloc();
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
void operator delete(void* memory) noexcept {
  std::free(memory);
}
void operator delete(void* memory, std::size_t) noexcept {
  std::free(memory);
}

using namespace slow_server_test;

TEST_CASE("an allocation failure closes the connection it served, and the others are answered") {
  exempt = true;  // only the server's thread fails
  const int bystander_count = 3;
  test_support::ServerThread server(with_delay(0.1));
  auto& server_of = server.server();
  std::vector<common::Fd> bystanders = clients_with_requests(server.port(), bystander_count);
  REQUIRE(eventually([&] { return server_of.stats().requests_received == bystander_count; }));

  const std::string line = std::string(1000, 'x') + "\n";  // the framer's copy: ~1,000 bytes
  common::Fd victim = connect_to(server.port());
  armed = true;
  send_all(victim.get(), line);
  CHECK(eventually([&] {
    const auto stats = server_of.stats();
    return stats.allocation_failures == 1 && stats.open_connections == bystander_count;
  }));
  CHECK_FALSE(armed);  // the failure did happen, in the server
  Received received = read_lines(victim.get(), 1, 3);
  CHECK(received.lines.empty());                 // closed without an answer...
  CHECK((received.eof || received.error != 0));  // ... and not left hanging

  CHECK(answered_right(bystanders) == bystander_count);
  CHECK(eventually([&] { return server_of.stats().answers_sent == bystander_count; }));
  CHECK(server_of.stats().pending_answers == 0);  // the counters survived it
  CHECK(still_serving(server.port()));
}
