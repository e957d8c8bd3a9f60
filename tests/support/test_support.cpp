#include <sys/socket.h>

#include "common/net.hpp"
#include "tests/support/server_thread.hpp"  // NOLINT

namespace test_support {

std::uint16_t unused_port() {
  // Bind to port 0, read the port the kernel chose, close: nothing listens there now.
  // (Another process could take it in between; on a test machine that is rare enough.)
  common::Fd socket = common::listen_tcp("127.0.0.1", 0, 1);
  return common::local_port(socket.get());
}

}  // namespace test_support
