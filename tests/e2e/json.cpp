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
