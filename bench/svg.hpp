// svg.hpp: a few SVG shapes, enough for bench_chart to draw results.json without any
// library: a chart is lines, circles, rectangles and text on a canvas.
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace bench {

class Svg {
 public:
  // The canvas grows downwards to hold whatever is drawn.
  explicit Svg(double width);

  void line(double x1, double y1, double x2, double y2, const std::string& color, double width = 1,
            bool dashed = false);
  void polyline(const std::vector<std::pair<double, double>>& points, const std::string& color,
                double width = 2, bool dashed = false);
  void circle(double x, double y, double radius, const std::string& color);
  void rect(double x, double y, double width, double height, const std::string& color);
  // anchor: "start", "middle" or "end".
  void text(double x, double y, const std::string& text, double size = 12,
            const std::string& anchor = "start", const std::string& color = "#222",
            bool bold = false);

  std::string str() const;

 private:
  void grow_to(double y) { height_ = std::max(height_, y + 10); }

  double width_, height_ = 0;
  std::string body_;
};

// A logarithmic axis: value -> pixel, from [low, high] onto [from, to].
struct LogScale {
  double low, high, from, to;
  double operator()(double value) const;
};
// A linear one.
struct LinearScale {
  double low, high, from, to;
  double operator()(double value) const;
};

}  // namespace bench
