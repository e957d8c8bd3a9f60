#include "bench/svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bench {

namespace {

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

std::string escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string stroke(const std::string& color, double width, bool dashed) {
  return " stroke=\"" + color + "\" stroke-width=\"" + number(width) + "\"" +
         (dashed ? " stroke-dasharray=\"6 4\"" : "");
}

}  // namespace

Svg::Svg(double width) : width_(width) {}

void Svg::line(double x1, double y1, double x2, double y2, const std::string& color, double width,
               bool dashed) {
  grow_to(std::max(y1, y2));
  body_ += "<line x1=\"" + number(x1) + "\" y1=\"" + number(y1) + "\" x2=\"" + number(x2) +
           "\" y2=\"" + number(y2) + "\"" + stroke(color, width, dashed) + "/>\n";
}

void Svg::polyline(const std::vector<std::pair<double, double>>& points, const std::string& color,
                   double width, bool dashed) {
  std::string list;
  for (const auto& [x, y] : points) {
    list += number(x) + "," + number(y) + " ";
    grow_to(y);
  }
  body_ +=
      "<polyline fill=\"none\" points=\"" + list + "\"" + stroke(color, width, dashed) + "/>\n";
}

void Svg::circle(double x, double y, double radius, const std::string& color) {
  grow_to(y + radius);
  body_ += "<circle cx=\"" + number(x) + "\" cy=\"" + number(y) + "\" r=\"" + number(radius) +
           "\" fill=\"" + color + "\"/>\n";
}

void Svg::rect(double x, double y, double width, double height, const std::string& color) {
  grow_to(y + height);
  body_ += "<rect x=\"" + number(x) + "\" y=\"" + number(y) + "\" width=\"" + number(width) +
           "\" height=\"" + number(height) + "\" fill=\"" + color + "\"/>\n";
}

void Svg::text(double x, double y, const std::string& content, double size,
               const std::string& anchor, const std::string& color, bool bold) {
  grow_to(y + size / 3);
  body_ += "<text x=\"" + number(x) + "\" y=\"" + number(y) + "\" font-size=\"" + number(size) +
           "\" text-anchor=\"" + anchor + "\" fill=\"" + color + "\"" +
           (bold ? " font-weight=\"bold\"" : "") + ">" + escaped(content) + "</text>\n";
}

std::string Svg::str() const {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + number(width_) + "\" height=\"" +
         number(height_) + "\" viewBox=\"0 0 " + number(width_) + " " + number(height_) +
         "\" font-family=\"Helvetica, Arial, sans-serif\">\n<rect width=\"100%\" height=\"100%\" "
         "fill=\"white\"/>\n" +
         body_ + "</svg>\n";
}

double LogScale::operator()(double value) const {
  double clamped = std::clamp(value, low, high);
  return from + (to - from) * (std::log10(clamped) - std::log10(low)) /
                    (std::log10(high) - std::log10(low));
}

double LinearScale::operator()(double value) const {
  return from + (to - from) * (value - low) / (high - low);
}

}  // namespace bench
