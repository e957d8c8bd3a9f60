// server_thread.hpp: a slow_server running in a background thread of the test process.
//
//   test_support::ServerThread server(test_support::server_options(0.2));  // port 0: a free port
//   ... connect to 127.0.0.1:server.port() ...
// The destructor stops the server and joins its thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <thread>

#include "slow_server/server.hpp"

namespace test_support {

// A server that answers after `delay` seconds, with `fault` on every `fault_every`-th
// connection (slow_server/server.hpp).
inline slow_server::ServerOptions server_options(
    double delay, slow_server::Fault fault = slow_server::Fault::none,
    std::size_t fault_every = 1) {
  slow_server::ServerOptions options;
  options.delay_seconds = delay;
  options.fault = fault;
  options.fault_every = fault_every;
  return options;
}

class ServerThread {
 public:
  explicit ServerThread(slow_server::ServerOptions options)
      : server_(with_port_zero(options), log_) {
    thread_ = std::thread([this] { server_.run(); });
  }
  ~ServerThread() {
    server_.stop();
    thread_.join();
  }
  ServerThread(const ServerThread&) = delete;
  ServerThread& operator=(const ServerThread&) = delete;

  std::uint16_t port() const { return server_.port(); }
  slow_server::Server& server() { return server_; }

 private:
  static slow_server::ServerOptions with_port_zero(slow_server::ServerOptions options) {
    options.port = 0;
    return options;
  }

  std::ostringstream log_;  // the server's log; written only by the server thread
  slow_server::Server server_;
  std::thread thread_;
};

// A port on 127.0.0.1 where nothing listens (bound, then closed again).
std::uint16_t unused_port();

}  // namespace test_support
