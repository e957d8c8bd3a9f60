// client_errors.hpp: the words every client stage uses when a request fails, so that
// the same fault reads the same in every stage (and tests can look for it).
// RunReport::request_failed prefixes "Request <id> failed: ".
#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>

#include "common/fd.hpp"
#include "common/net.hpp"
#include "common/run_report.hpp"

namespace common::client_errors {

// Connect failed: "connect to 127.0.0.1:8080: Connection refused".
inline std::string connect_failed(const Address& address, int error) {
  return "connect to " + address.to_string() + ": " + errno_text(error);
}
// send() failed: "send to 127.0.0.1:8080: Broken pipe".
inline std::string send_failed(const Address& address, int error) {
  return "send to " + address.to_string() + ": " + errno_text(error);
}
// recv() failed: "recv from 127.0.0.1:8080: Connection reset by peer".
inline std::string recv_failed(const Address& address, int error) {
  return "recv from " + address.to_string() + ": " + errno_text(error);
}
// The server closed before a whole line (with its '\n') arrived.
inline std::string closed_early(const Address& address) {
  return "connection closed by " + address.to_string() + " before a whole response line";
}
// The response line grew past the client's limit without a '\n'.
inline std::string response_too_long(const Address& address, std::size_t limit) {
  return "response from " + address.to_string() + " longer than " + std::to_string(limit) +
         " bytes";
}
// --timeout passed: "timed out after 0.5 s".
inline std::string timed_out(double seconds) {
  char text[64];
  std::snprintf(text, sizeof text, "timed out after %g s", seconds);
  return text;
}

// asyncio.TimeoutError, for the wait_for of stages 3 and 4: "timed out after 0.3 s".
class TimeoutError : public std::runtime_error {
 public:
  explicit TimeoutError(double seconds) : std::runtime_error(timed_out(seconds)) {}
};

// A socket operation of stages 3 and 4 failed: which step, and the errno (0 when the
// server closed early or the line grew too long). Like asyncio's sock_sendall(sock, data),
// those operations do not know the server's address; the client words the failure where
// it reports the request, with describe() below.
class SocketError : public std::runtime_error {
 public:
  enum class Step { connect, send, recv, closed_early, too_long };
  explicit SocketError(Step step, int error = 0)
      : std::runtime_error(error ? errno_text(error) : "socket operation failed"),
        step_(step),
        error_(error) {}
  Step step() const noexcept { return step_; }
  int error() const noexcept { return error_; }

 private:
  Step step_;
  int error_;
};

// common::start_connect, failing as the SocketError stages 3 and 4 throw.
inline ConnectStatus start_connect(int fd, const Address& address) {
  try {
    return common::start_connect(fd, address);
  } catch (const NetError& error) {  // failed at once (no route, say)
    throw SocketError(SocketError::Step::connect, error.error());
  }
}

// The longest response line a client accepts: "Response to " and a maximal request.
inline constexpr std::size_t max_response_bytes = 4096;

// A SocketError in the words above: "connect to 127.0.0.1:8080: Connection refused".
inline std::string describe(const SocketError& failure, const Address& address) {
  switch (failure.step()) {
    case SocketError::Step::connect:
      return connect_failed(address, failure.error());
    case SocketError::Step::send:
      return send_failed(address, failure.error());
    case SocketError::Step::recv:
      return recv_failed(address, failure.error());
    case SocketError::Step::closed_early:
      return closed_early(address);
    case SocketError::Step::too_long:
      break;
  }
  return response_too_long(address, max_response_bytes);
}

// For a request of stages 3 and 4, inside its `catch (...)`: reports the exception being
// handled as request `id`'s failure, in the words above (a SocketError, a timeout, socket()
// out of descriptors). Anything else is no one request's fault (select: fd >= FD_SETSIZE):
// it is reported, then rethrown, and stops the run.
inline void report_failure(RunReport& report, int id, const Address& address) {
  try {
    throw;
  } catch (const SocketError& error) {
    report.request_failed(id, describe(error, address));
  } catch (const TimeoutError& error) {
    report.request_failed(id, error.what());
  } catch (const NetError& error) {
    report.request_failed(id, error.what());
  } catch (const std::exception& error) {
    report.request_failed(id, error.what());
    throw;
  }
}

}  // namespace common::client_errors
