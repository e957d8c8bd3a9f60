#include <doctest/doctest.h>

#include <string>

#include "common/line_framer.hpp"

using common::LineFramer;

TEST_CASE("a whole line comes out without its newline") {
  LineFramer framer;
  framer.feed("Request 7\n");
  CHECK(framer.next_line() == "Request 7");
  CHECK_FALSE(framer.next_line());
  CHECK(framer.buffered_bytes() == 0);
}

TEST_CASE("a line split across reads waits for its end") {
  LineFramer framer;
  framer.feed("Requ");
  CHECK_FALSE(framer.next_line());
  framer.feed("est 1");
  CHECK_FALSE(framer.next_line());
  framer.feed("2\r\nRe");
  CHECK(framer.next_line() == "Request 12");  // one trailing \r dropped
  CHECK_FALSE(framer.next_line());
  CHECK(framer.buffered_bytes() == 2);
}

TEST_CASE("several lines in one read come out one by one, empty lines too") {
  LineFramer framer;
  framer.feed("a\n\nb\r\r\nc");
  CHECK(framer.next_line() == "a");
  CHECK(framer.next_line() == "");
  CHECK(framer.next_line() == "b\r");  // only one \r is dropped
  CHECK_FALSE(framer.next_line());
  CHECK(framer.take_rest() == "c");
  CHECK_FALSE(framer.take_rest());
}

TEST_CASE("a byte-by-byte line of the maximum length is accepted") {
  LineFramer framer(8);
  for (char c : std::string("12345678\n")) framer.feed(std::string(1, c));
  CHECK(framer.next_line() == "12345678");
  CHECK_FALSE(framer.too_long());
}

TEST_CASE("a whole line over the limit is too long") {
  LineFramer framer(8);
  framer.feed("ok\n123456789\nnext\n");
  CHECK(framer.next_line() == "ok");
  CHECK_FALSE(framer.next_line());
  CHECK(framer.too_long());
  CHECK_FALSE(framer.next_line());  // nothing after a framing error
  CHECK_FALSE(framer.take_rest());
}

TEST_CASE("a partial line that grows past the limit is too long before its newline") {
  LineFramer framer(8);
  framer.feed("12345678");
  CHECK_FALSE(framer.next_line());
  CHECK_FALSE(framer.too_long());
  framer.feed("9");
  CHECK_FALSE(framer.next_line());
  CHECK(framer.too_long());
}

TEST_CASE("the protocol's limit is 1024 bytes before the newline") {
  LineFramer framer;
  framer.feed(std::string(1024, 'x') + "\n");
  CHECK(framer.next_line() == std::string(1024, 'x'));
  framer.feed(std::string(1025, 'x') + "\n");
  CHECK_FALSE(framer.next_line());
  CHECK(framer.too_long());
}

TEST_CASE("a long stream of lines keeps the buffer small") {
  LineFramer framer;
  for (int i = 0; i < 100000; ++i) {
    framer.feed("Request " + std::to_string(i) + "\nRes");
    CHECK(framer.next_line() == (i == 0 ? "Request 0" : "ResRequest " + std::to_string(i)));
    CHECK(framer.buffered_bytes() == 3);
  }
}
