// checks.hpp: the three fuzz checks. Each takes one arbitrary input and throws
// fuzz::CheckFailed (reference.hpp) when an invariant breaks. The libFuzzer entry points
// (*_fuzz.cpp, the fuzz preset) and the corpus replay test (tests/reliability, every
// build) call them, so the checks run in CI even where libFuzzer does not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace fuzz {

// common::LineFramer. Input: [limit byte][split seed][the stream...]. The stream is fed in
// pieces (sizes from the seed), lines taken out after some pieces and at the end. Checks:
// no line holds '\n'; no line is longer than the limit; too_long() exactly when some line
// (or the unterminated rest) exceeds it; the lines, then take_rest(), give back the
// stream (each line's one '\r' aside); the buffer is empty after take_rest().
void check_line_framer(std::span<const std::uint8_t> input);

// slow_server's connection handling: a Server (--delay 0) runs in a thread of this process;
// each input is one loopback connection. Input: [split seed][the bytes sent...], written in
// pieces, then a half-close. Checks: the server answers exactly the protocol's answers, in
// order, then closes; or, for an over-long line, some of the answers before it, then
// "ERROR line too long", then closes. Its counters (Server::stats()) agree: every line
// before an over-long one, and the unterminated rest, counted as one request each, and
// nothing else (no piece of an over-long line); one line too long, or none. No hang (10 s),
// no crash, connections do not pile up.
void check_server_connection(std::span<const std::uint8_t> input);

// The clients' answer rule: common::wrong_answer() and RunReport::request_succeeded(), as
// every client stage calls it. Input: [id byte][bytes...]; the request id is the byte mod
// 100. Without a '\n' in the bytes, they are the answer to "Request <id>"; with one, the
// bytes before it are the request text (the form exercise 01's follow-up uses) and the
// bytes after it the answer. Checks: wrong_answer() says what reference_wrong_answer()
// (reference.hpp) says, in printable ASCII; the report accepts the answer exactly when
// it is "Response to <request>", keeps it and prints "Response for Request <id>: " and the
// answer (escaped), or fails the request with those words and prints them on stderr; no
// raw control byte reaches either stream; a request ends once.
void check_client_answer(std::span<const std::uint8_t> input);

}  // namespace fuzz
