// socket_ops_test.cpp: the socket operations on their own: how they fail (a SocketError
// naming the step and the errno, which describe() words as every client does), how
// sock_read_line reassembles a line, and that a Socket unwatches its fd before closing it.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "common/client_errors.hpp"
#include "common/net.hpp"
#include "stage3_generators/socket_ops.hpp"
#include "stage3_generators/task.hpp"
#include "tests/support/socket_pair.hpp"

using common::client_errors::SocketError;
using stage3::EventLoop;

namespace {

// Runs `future` to its end and returns the SocketError it failed with.
template <typename F>
SocketError failure_of(EventLoop& loop, const F& future) {
  try {
    loop.run_until_complete(future);
  } catch (const SocketError& error) {
    return error;
  }
  FAIL("no SocketError");
  return SocketError(SocketError::Step::connect);
}

}  // namespace

TEST_CASE("sock_connect to a port nobody listens on: SocketError(connect, ECONNREFUSED)") {
  common::Fd listener = common::listen_tcp("127.0.0.1", 0, 1);
  const common::Address address =
      common::resolve_address("127.0.0.1", common::local_port(listener.get()));
  listener.reset();  // nobody listens there now
  EventLoop loop;
  stage3::Socket socket(loop);
  SocketError error = failure_of(loop, stage3::sock_connect(loop, socket.get(), address));
  CHECK(error.step() == SocketError::Step::connect);
  CHECK(error.error() == ECONNREFUSED);
  CHECK(common::client_errors::describe(error, address) ==
        "connect to " + address.to_string() + ": Connection refused");
}

TEST_CASE("sock_read_line: a line that arrives in pieces, then the end of the stream") {
  EventLoop loop;
  test_support::SocketPair pair;
  auto line = loop.create_task(stage3::sock_read_line(loop, pair.a.get()));
  loop.run_once();  // waits: nothing to read yet
  REQUIRE(::write(pair.b.get(), "Response to ", 12) == 12);
  loop.run_once();
  REQUIRE(::write(pair.b.get(), "Request 1\r\nRes", 14) == 14);
  CHECK(loop.run_until_complete(line) == "Response to Request 1");

  auto rest = loop.create_task(stage3::sock_read_line(loop, pair.a.get()));
  pair.b.reset();  // closed after a partial line ("Res" was read with the first line)
  SocketError error = failure_of(loop, rest);
  CHECK(error.step() == SocketError::Step::closed_early);
  const common::Address address = common::resolve_address("127.0.0.1", 8080);
  CHECK(common::client_errors::describe(error, address) ==
        common::client_errors::closed_early(address));
}

TEST_CASE("sock_read_line: a line longer than the limit is SocketError(too_long)") {
  EventLoop loop;
  test_support::SocketPair pair;
  const std::string flood(common::client_errors::max_response_bytes + 1, 'x');
  REQUIRE(::write(pair.b.get(), flood.data(), flood.size()) == static_cast<ssize_t>(flood.size()));
  auto line = loop.create_task(stage3::sock_read_line(loop, pair.a.get()));
  CHECK(failure_of(loop, line).step() == SocketError::Step::too_long);
}

TEST_CASE("a Socket makes the loop forget its fd before closing it, with every selector") {
  for (auto kind :
       {common::SelectorKind::epoll, common::SelectorKind::poll, common::SelectorKind::select}) {
    if (!common::selector_available(kind)) continue;
    CAPTURE(common::to_string(kind));
    EventLoop loop(kind);
    int stale_calls = 0;
    int number = -1;
    {
      stage3::Socket socket(loop);
      number = socket.get();
      loop.call_when_ready(number, common::EVENT_WRITE, [&] { ++stale_calls; });
    }
    test_support::SocketPair pair;  // takes the lowest free numbers: the closed one again
    REQUIRE(pair.a.get() == number);
    bool fresh = false;
    loop.call_when_ready(pair.a.get(), common::EVENT_WRITE, [&] { fresh = true; });
    loop.run_once();
    CHECK(fresh);
    CHECK(stale_calls == 0);
    CHECK_THROWS_AS(loop.run_once(), std::logic_error);  // nothing left watched
  }
}
