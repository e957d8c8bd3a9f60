#include "tests/e2e/json.hpp"

#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace e2e::json {

namespace {

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Value document() {
    Value value = parse_value();
    skip_space();
    if (at_ != text_.size()) fail("text after the value");
    return value;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("not JSON at offset " + std::to_string(at_) + ": " + what);
  }
  void skip_space() {
    while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_]))) ++at_;
  }
  char peek() {
    skip_space();
    if (at_ == text_.size()) fail("unexpected end");
    return text_[at_];
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++at_;
  }
  bool take_word(std::string_view word) {
    if (text_.substr(at_, word.size()) != word) return false;
    at_ += word.size();
    return true;
  }

  Value parse_value() {
    char c = peek();
    if (c == '{') return {parse_object()};
    if (c == '[') return {parse_array()};
    if (c == '"') return {parse_string()};
    if (take_word("null")) return {nullptr};
    if (take_word("true")) return {true};
    if (take_word("false")) return {false};
    return {parse_number()};
  }

  Object parse_object() {
    Object object;
    expect('{');
    if (peek() == '}') return ++at_, object;
    do {
      if (peek() != '"') fail("expected a key");
      std::string key = parse_string();
      expect(':');
      object[key] = parse_value();
    } while (peek() == ',' && ++at_);
    expect('}');
    return object;
  }

  Array parse_array() {
    Array array;
    expect('[');
    if (peek() == ']') return ++at_, array;
    do {
      array.push_back(parse_value());
    } while (peek() == ',' && ++at_);
    expect(']');
    return array;
  }

  std::string parse_string() {
    expect('"');
    std::string text;
    while (at_ < text_.size() && text_[at_] != '"') {
      char c = text_[at_++];
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string");
      if (static_cast<unsigned char>(c) >= 0x80) {
        --at_;
        text += take_utf8();
        continue;
      }
      if (c != '\\') {
        text += c;
        continue;
      }
      if (at_ == text_.size()) break;
      switch (char escaped = text_[at_++]) {
        case 'n':
          text += '\n';
          break;
        case 'r':
          text += '\r';
          break;
        case 't':
          text += '\t';
          break;
        case 'b':
          text += '\b';
          break;
        case 'f':
          text += '\f';
          break;
        case 'u': {  // enough for the control characters a report escapes
          if (at_ + 4 > text_.size()) fail("short \\u escape");
          text += static_cast<char>(
              std::strtol(std::string(text_.substr(at_, 4)).c_str(), nullptr, 16));
          at_ += 4;
          break;
        }
        case '"':
        case '\\':
        case '/':
          text += escaped;
          break;
        default:
          fail("bad escape");
      }
    }
    if (at_ == text_.size()) fail("unterminated string");
    ++at_;
    return text;
  }

  // One well-formed UTF-8 character past ASCII (JSON text is Unicode): no stray or
  // missing continuation byte, no overlong form, no surrogate, nothing past U+10FFFF.
  std::string take_utf8() {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text_[at_ + i]); };
    std::size_t length = byte(0) >= 0xf0 ? 4 : byte(0) >= 0xe0 ? 3 : byte(0) >= 0xc0 ? 2 : 0;
    if (length == 0 || byte(0) > 0xf4 || at_ + length > text_.size()) fail("not UTF-8");
    unsigned long code = byte(0) & (0x7fu >> length);
    for (std::size_t i = 1; i < length; ++i) {
      if ((byte(i) & 0xc0) != 0x80) fail("not UTF-8");
      code = (code << 6) | (byte(i) & 0x3fu);
    }
    const unsigned long least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < least[length] || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) {
      fail("not UTF-8");
    }
    std::string character(text_.substr(at_, length));
    at_ += length;
    return character;
  }

  double parse_number() {
    std::size_t start = at_;
    if (at_ < text_.size() && text_[at_] == '-') ++at_;
    auto digits = [&] {
      std::size_t first = at_;
      while (at_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[at_]))) ++at_;
      return at_ > first;
    };
    if (!digits()) fail("expected a value");
    if (at_ < text_.size() && text_[at_] == '.' && (++at_, !digits())) fail("bad number");
    if (at_ < text_.size() && (text_[at_] == 'e' || text_[at_] == 'E')) {
      ++at_;
      if (at_ < text_.size() && (text_[at_] == '+' || text_[at_] == '-')) ++at_;
      if (!digits()) fail("bad exponent");
    }
    return std::strtod(std::string(text_.substr(start, at_ - start)).c_str(), nullptr);
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

}  // namespace

Value parse(std::string_view text) {
  return Parser(text).document();
}

}  // namespace e2e::json
