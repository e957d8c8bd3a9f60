// protocol.hpp: the few constants and strings of the wire protocol (docs/protocol.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace common::protocol {

inline constexpr std::uint16_t default_port = 8080;
inline constexpr std::string_view default_host = "127.0.0.1";
// At most this many bytes before the '\n' of a request.
inline constexpr std::size_t max_line_bytes = 1024;
// What the server writes, at once, before closing a connection whose line is too long.
inline constexpr std::string_view line_too_long = "ERROR line too long\n";
// ... and before closing one whose line was not whole within --request-timeout.
inline constexpr std::string_view request_timeout = "ERROR request timeout\n";

// "Request 7\n": what a client sends.
inline std::string request_line(int id) {
  return "Request " + std::to_string(id) + "\n";
}
// "Request 7" (without the newline): what the client expects to see echoed.
inline std::string request_text(int id) {
  return "Request " + std::to_string(id);
}
// "Response to Request 7": the answer's text, before its '\n'.
inline std::string response_text(std::string_view request) {
  return "Response to " + std::string(request);
}

}  // namespace common::protocol
