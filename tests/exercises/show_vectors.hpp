// show_vectors.hpp: lets doctest print a std::vector in a failed CHECK ("{0, 2}" instead
// of "{?}"), so a student sees what came out.
#pragma once

#include <doctest/doctest.h>

#include <sstream>
#include <vector>

namespace doctest {

template <typename T>
struct StringMaker<std::vector<T>> {
  static String convert(const std::vector<T>& values) {
    std::ostringstream text;
    text << "{";
    for (std::size_t i = 0; i < values.size(); ++i) {
      text << (i > 0 ? ", " : "") << toString(values[i]);
    }
    text << "}";
    return text.str().c_str();
  }
};

}  // namespace doctest
