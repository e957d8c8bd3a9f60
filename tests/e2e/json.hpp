// json.hpp: just enough of a JSON parser to check a client's --json output (strict:
// anything that is not one well-formed JSON value, whitespace around it aside, throws;
// so does a string that is not UTF-8).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace e2e::json {

struct Value;
using Array = std::vector<Value>;
using Object = std::map<std::string, Value>;

struct Value {
  std::variant<std::nullptr_t, bool, double, std::string, Array, Object> data;

  bool is_null() const { return std::holds_alternative<std::nullptr_t>(data); }
  // Throw std::bad_variant_access when the value is of another kind.
  bool boolean() const { return std::get<bool>(data); }
  double number() const { return std::get<double>(data); }
  const std::string& string() const { return std::get<std::string>(data); }
  const Array& array() const { return std::get<Array>(data); }
  const Object& object() const { return std::get<Object>(data); }
  // A member of an object; throws std::out_of_range when there is none.
  const Value& operator[](const std::string& key) const { return object().at(key); }
};

// Throws std::runtime_error saying where the text stops being JSON.
Value parse(std::string_view text);

}  // namespace e2e::json
