// svg.hpp: a few SVG shapes, enough for bench_chart and timeline_svg to draw without any
// library: a picture is lines, circles, rectangles and text on a canvas, each one XML
// element with its attributes.
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "bench/report.hpp"

namespace bench {

class Svg {
 public:
  // The canvas grows downwards to hold whatever is drawn.
  explicit Svg(double width) : width_(width) {}

  void line(double x1, double y1, double x2, double y2, const std::string& color, double width = 1,
            bool dashed = false) {
    grow_to(std::max(y1, y2));
    body_ += "<line" + attribute("x1", x1) + attribute("y1", y1) + attribute("x2", x2) +
             attribute("y2", y2) + stroke(color, width, dashed) + "/>\n";
  }

  void polyline(const std::vector<std::pair<double, double>>& points, const std::string& color,
                double width = 2, bool dashed = false) {
    std::string list;
    for (const auto& [x, y] : points) {
      list += fixed(x, 1) + "," + fixed(y, 1) + " ";
      grow_to(y);
    }
    body_ += "<polyline fill=\"none\"" + attribute("points", list) + stroke(color, width, dashed) +
             "/>\n";
  }

  void circle(double x, double y, double radius, const std::string& color) {
    grow_to(y + radius);
    body_ += "<circle" + attribute("cx", x) + attribute("cy", y) + attribute("r", radius) +
             attribute("fill", color) + "/>\n";
  }

  void rect(double x, double y, double width, double height, const std::string& color) {
    grow_to(y + height);
    body_ += "<rect" + attribute("x", x) + attribute("y", y) + attribute("width", width) +
             attribute("height", height) + attribute("fill", color) + "/>\n";
  }

  // anchor: "start", "middle" or "end".
  void text(double x, double y, const std::string& content, double size = 12,
            const std::string& anchor = "start", const std::string& color = "#222",
            bool bold = false) {
    grow_to(y + size / 3);
    body_ += "<text" + attribute("x", x) + attribute("y", y) + attribute("font-size", size) +
             attribute("text-anchor", anchor) + attribute("fill", color) +
             (bold ? attribute("font-weight", "bold") : "") + ">" + escaped(content) + "</text>\n";
  }

  std::string str() const {
    const std::string width = fixed(width_, 1), height = fixed(height_, 1);
    return "<svg xmlns=\"http://www.w3.org/2000/svg\"" + attribute("width", width_) +
           attribute("height", height_) + attribute("viewBox", "0 0 " + width + " " + height) +
           attribute("font-family", "Helvetica, Arial, sans-serif") +
           ">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body_ + "</svg>\n";
  }

 private:
  void grow_to(double y) { height_ = std::max(height_, y + 10); }

  // ' x1="12.5"': coordinates to a tenth of a pixel are plenty.
  static std::string attribute(const std::string& name, double value) {
    return attribute(name, fixed(value, 1));
  }
  static std::string attribute(const std::string& name, const std::string& value) {
    return " " + name + "=\"" + value + "\"";
  }

  static std::string stroke(const std::string& color, double width, bool dashed) {
    return attribute("stroke", color) + attribute("stroke-width", width) +
           (dashed ? attribute("stroke-dasharray", "6 4") : "");
  }

  // Text is XML: the three characters that would start markup are written as entities.
  static std::string escaped(const std::string& text) {
    std::string out;
    for (char c : text) {
      if (c == '<')
        out += "&lt;";
      else if (c == '>')
        out += "&gt;";
      else if (c == '&')
        out += "&amp;";
      else
        out += c;
    }
    return out;
  }

  double width_, height_ = 0;
  std::string body_;
};

}  // namespace bench
