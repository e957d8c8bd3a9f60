// net_test.cpp: the path a refused connect takes, as docs/01 and docs/02 tell it. On Linux a
// non-blocking connect() to a loopback port nobody listens on does not fail in the call: it
// says "in progress" (EINPROGRESS), the socket then turns writable with POLLERR, and
// SO_ERROR (common::connect_result) is ECONNREFUSED. The stages' on_connected relies on it.
#include <doctest/doctest.h>
#include <poll.h>

#include <cerrno>
#include <chrono>
#include <cstdint>

#include "common/fd.hpp"
#include "common/net.hpp"
#include "common/selector.hpp"

using namespace std::chrono_literals;

namespace {

// A port on 127.0.0.1 where nothing listens: bound, then closed again. (Another process
// could take it in between; on a test machine that is rare enough.)
std::uint16_t closed_port() {
  common::Fd listener = common::listen_tcp("127.0.0.1", 0, 1);
  return common::local_port(listener.get());
}

// Starts a non-blocking connect. Had connect() itself failed (refused in the call), the
// REQUIRE would end the test with "THREW exception: connect to ...: Connection refused".
common::Fd connect_in_progress(const common::Address& address) {
  common::Fd socket = common::make_tcp_socket();  // non-blocking
  REQUIRE(common::start_connect(socket.get(), address) == common::ConnectStatus::in_progress);
  return socket;
}

}  // namespace

TEST_CASE("a connect to a closed loopback port: in progress, then POLLOUT|POLLERR, ECONNREFUSED") {
  const common::Address address = common::resolve_address("127.0.0.1", closed_port());
  for (int attempt = 0; attempt < 20; ++attempt) {  // not once by luck: every time
    CAPTURE(attempt);
    common::Fd socket = connect_in_progress(address);
    pollfd ready{socket.get(), POLLOUT, 0};
    REQUIRE(::poll(&ready, 1, 5000) == 1);
    CHECK((ready.revents & POLLOUT) != 0);  // writable: the connect has ended...
    CHECK((ready.revents & POLLERR) != 0);  // ...badly
    CHECK(common::connect_result(socket.get()) == ECONNREFUSED);
  }
}

TEST_CASE("every selector backend reports that refused connect as writable (on_connected runs)") {
  const common::Address address = common::resolve_address("127.0.0.1", closed_port());
  for (auto kind :
       {common::SelectorKind::epoll, common::SelectorKind::poll, common::SelectorKind::select}) {
    if (!common::selector_available(kind)) continue;
    CAPTURE(common::to_string(kind));
    common::Fd socket = connect_in_progress(address);
    auto selector = common::make_selector(kind);
    selector->register_fd(socket.get(), common::EVENT_WRITE, nullptr);
    auto ready = selector->select(5s);
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].fd == socket.get());
    CHECK(ready[0].events == common::EVENT_WRITE);
    CHECK(common::connect_result(socket.get()) == ECONNREFUSED);
    selector->unregister(socket.get());
  }
}
