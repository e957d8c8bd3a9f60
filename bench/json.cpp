#include "bench/json.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace bench::json {

bool Value::as_bool(bool fallback) const {
  const bool* value = std::get_if<bool>(&data_);
  return value ? *value : fallback;
}
double Value::as_number(double fallback) const {
  const double* value = std::get_if<double>(&data_);
  return value ? *value : fallback;
}
std::string Value::as_string(std::string fallback) const {
  const std::string* value = std::get_if<std::string>(&data_);
  return value ? *value : fallback;
}
const Array& Value::as_array() const {
  static const Array empty;
  const Array* value = std::get_if<Array>(&data_);
  return value ? *value : empty;
}
const Object& Value::as_object() const {
  static const Object empty;
  const Object* value = std::get_if<Object>(&data_);
  return value ? *value : empty;
}

const Value& Value::operator[](std::string_view key) const {
  static const Value null;
  for (const auto& [name, value] : as_object())
    if (name == key) return value;
  return null;
}

void Value::set(std::string_view key, Value value) {
  if (is_null()) data_ = Object{};
  Object& object = std::get<Object>(data_);
  for (auto& [name, old] : object) {
    if (name == key) {
      old = std::move(value);
      return;
    }
  }
  object.emplace_back(std::string(key), std::move(value));
}

namespace {

// A recursive-descent reader over `text`; `at` is the next character to read.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  Value document() {
    Value value = any();
    skip_space();
    if (at_ != text_.size()) fail("text after the value");
    return value;
  }

 private:
  Value any() {
    skip_space();
    if (at_ == text_.size()) fail("unexpected end");
    switch (text_[at_]) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return Value(string());
      case 't':
        return word("true", Value(true));
      case 'f':
        return word("false", Value(false));
      case 'n':
        return word("null", Value());
      default:
        return number();
    }
  }

  Value object() {
    Object members;
    ++at_;  // '{'
    if (next_is('}')) return Value(std::move(members));
    do {
      skip_space();
      std::string key = string();
      expect(':');
      members.emplace_back(std::move(key), any());
    } while (next_is(','));
    expect('}');
    return Value(std::move(members));
  }

  Value array() {
    Array items;
    ++at_;  // '['
    if (next_is(']')) return Value(std::move(items));
    do {
      items.push_back(any());
    } while (next_is(','));
    expect(']');
    return Value(std::move(items));
  }

  std::string string() {
    if (at_ == text_.size() || text_[at_] != '"') fail("expected a string");
    std::string out;
    for (++at_; at_ < text_.size() && text_[at_] != '"'; ++at_) {
      char c = text_[at_];
      if (c != '\\') {
        out += c;
        continue;
      }
      if (++at_ == text_.size()) break;
      switch (char escaped = text_[at_]) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u':
          out += unicode_escape();
          break;
        default:
          out += escaped;  // \" \\ \/
      }
    }
    if (at_ == text_.size()) fail("unterminated string");
    ++at_;  // closing '"'
    return out;
  }

  // "\u00e9": the four hex digits after the 'u', as UTF-8 (surrogate pairs kept apart:
  // our producers only escape control characters).
  std::string unicode_escape() {
    if (at_ + 4 >= text_.size()) fail("short \\u escape");
    unsigned code = std::stoul(std::string(text_.substr(at_ + 1, 4)), nullptr, 16);
    at_ += 4;
    std::string out;
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
    return out;
  }

  Value number() {
    std::string digits;
    while (at_ < text_.size() &&
           std::string_view("+-0123456789.eE").find(text_[at_]) != std::string_view::npos) {
      digits += text_[at_++];
    }
    char* end = nullptr;
    double value = std::strtod(digits.c_str(), &end);
    if (digits.empty() || *end != '\0') fail("expected a value");
    return Value(value);
  }

  Value word(std::string_view spelled, Value value) {
    if (text_.substr(at_, spelled.size()) != spelled) fail("expected a value");
    at_ += spelled.size();
    return value;
  }

  void skip_space() {
    while (at_ < text_.size() &&
           std::string_view(" \t\r\n").find(text_[at_]) != std::string_view::npos)
      ++at_;
  }
  bool next_is(char c) {
    skip_space();
    if (at_ < text_.size() && text_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!next_is(c)) fail(std::string("expected '") + c + "'");
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("JSON: " + what + " at offset " + std::to_string(at_));
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

void write_string(std::string& out, const std::string& text) {
  out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
    } else {
      out += c;
    }
  }
  out += '"';
}

void write_number(std::string& out, double number) {
  if (!std::isfinite(number)) {
    out += "null";  // JSON has no inf or nan
    return;
  }
  char text[32];
  // Integers as integers; other numbers with enough digits to round-trip a measurement.
  if (number == std::floor(number) && std::fabs(number) < 1e15) {
    std::snprintf(text, sizeof text, "%.0f", number);
  } else {
    std::snprintf(text, sizeof text, "%.6g", number);
  }
  out += text;
}

}  // namespace

Value parse(std::string_view text) {
  return Reader(text).document();
}

std::string write(const Value& value, int indent) {
  std::string out;
  std::string pad(2 * (indent + 1), ' ');
  std::string closing_pad(2 * indent, ' ');
  if (const auto* object = std::get_if<Object>(&value.data_)) {
    if (object->empty()) return "{}";
    out += "{\n";
    for (std::size_t i = 0; i < object->size(); ++i) {
      out += pad;
      write_string(out, (*object)[i].first);
      out += ": " + write((*object)[i].second, indent + 1);
      out += i + 1 < object->size() ? ",\n" : "\n";
    }
    return out + closing_pad + "}";
  }
  if (const auto* array = std::get_if<Array>(&value.data_)) {
    bool flat = true;  // numbers and strings only: one line
    for (const Value& item : *array) flat = flat && !item.is_object() && item.as_array().empty();
    out += flat ? "[" : "[\n";
    for (std::size_t i = 0; i < array->size(); ++i) {
      if (!flat) out += pad;
      out += write((*array)[i], indent + 1);
      if (i + 1 < array->size()) out += flat ? ", " : ",\n";
    }
    return out + (flat ? "]" : "\n" + closing_pad + "]");
  }
  if (const auto* text = std::get_if<std::string>(&value.data_)) {
    write_string(out, *text);
  } else if (const auto* number = std::get_if<double>(&value.data_)) {
    write_number(out, *number);
  } else if (const auto* flag = std::get_if<bool>(&value.data_)) {
    out += *flag ? "true" : "false";
  } else {
    out += "null";
  }
  return out;
}

}  // namespace bench::json
