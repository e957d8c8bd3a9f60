// json.hpp: just enough JSON for the benchmarks: read what the clients and the Python
// anchors print with --json, and write build/bench/results.json.
//
// A Value is null, a bool, a number, a string, an array or an object. Objects keep
// their keys in insertion order, so results.json reads in the order it was measured.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace bench::json {

class Value;
using Array = std::vector<Value>;
using Member = std::pair<std::string, Value>;
using Object = std::vector<Member>;

class Value {
 public:
  Value() = default;  // null
  Value(std::nullptr_t) {}
  Value(bool value) : data_(value) {}
  template <typename Number>
  requires(std::is_arithmetic_v<Number> && !std::is_same_v<Number, bool>) Value(Number value)
      : data_(static_cast<double>(value)) {}
  Value(std::string value) : data_(std::move(value)) {}
  Value(const char* value) : data_(std::string(value)) {}
  // A number or a text that may be missing: null when it is.
  Value(const std::optional<double>& value) {
    if (value) data_ = *value;
  }
  Value(const std::optional<std::string>& value) {
    if (value) data_ = *value;
  }
  Value(Array value) : data_(std::move(value)) {}
  Value(Object value) : data_(std::move(value)) {}

  bool is_null() const { return std::holds_alternative<std::nullptr_t>(data_); }
  bool is_object() const { return std::holds_alternative<Object>(data_); }

  // Typed access; a value of another type gives `fallback`.
  bool as_bool(bool fallback = false) const;
  double as_number(double fallback = 0) const;
  std::string as_string(std::string fallback = "") const;
  const Array& as_array() const;    // empty unless an array
  const Object& as_object() const;  // empty unless an object

  // object["key"]: the member's value, or null when absent (or not an object).
  const Value& operator[](std::string_view key) const;
  // Sets `key` (replacing its value if present). Turns a null into an object.
  void set(std::string_view key, Value value);

 private:
  std::variant<std::nullptr_t, bool, double, std::string, Array, Object> data_ = nullptr;
  friend std::string write(const Value&, int);
};

// Throws std::runtime_error naming the offset when `text` is not one JSON value.
Value parse(std::string_view text);
// Two-space indentation, arrays of plain values kept on one line.
std::string write(const Value& value, int indent = 0);

}  // namespace bench::json
