// socket_pair.hpp: two connected non-blocking sockets in this process, for tests of
// selectors and loops that need a descriptor to become readable on demand.
#pragma once

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/fd.hpp"

namespace test_support {

// `a` is the one watched; writing to `b` makes it readable.
struct SocketPair {
  common::Fd a, b;
  SocketPair() {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0);
    a.reset(fds[0]);
    b.reset(fds[1]);
  }
  void make_a_readable() { REQUIRE(::write(b.get(), "x", 1) == 1); }
};

}  // namespace test_support
