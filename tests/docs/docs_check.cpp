#include "docs_check.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

namespace docs_check {
namespace {

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string without_common_indent(const std::vector<std::string>& lines) {
  std::size_t indent = std::string::npos;
  for (const auto& line : lines) {
    std::size_t first = line.find_first_not_of(' ');
    if (first != std::string::npos) indent = std::min(indent, first);
  }
  std::string joined;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) joined += '\n';
    if (lines[i].size() > indent && indent != std::string::npos) joined += lines[i].substr(indent);
  }
  return joined;
}

std::string trim_right(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

// The name right after `prefix` in `line` ("[docs:" -> "stage1-run"), if `prefix` is
// there and is followed by at least one name character and then `suffix`.
std::string name_after(const std::string& line, const std::string& prefix,
                       const std::string& suffix) {
  std::size_t at = line.find(prefix);
  if (at == std::string::npos) return {};
  std::size_t begin = line.find_first_not_of(' ', at + prefix.size());
  if (begin == std::string::npos) return {};
  std::size_t end = begin;
  while (end < line.size() && is_name_char(line[end])) ++end;
  std::size_t after = line.find_first_not_of(' ', end);
  if (end == begin || after == std::string::npos || line.compare(after, suffix.size(), suffix) != 0)
    return {};
  return line.substr(begin, end - begin);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

void collect_anchors(const std::string& file_name, const std::string& text,
                     std::map<std::string, std::string>& anchors,
                     std::vector<std::string>& problems) {
  std::vector<std::string> lines = split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string name = name_after(lines[i], "[docs:", "]");
    if (name.empty()) continue;
    std::vector<std::string> body;
    std::size_t j = i + 1;
    while (j < lines.size() && lines[j].find("[/docs]") == std::string::npos)
      body.push_back(lines[j++]);
    if (j == lines.size()) {
      problems.push_back(file_name + ":" + std::to_string(i + 1) + ": anchor '" + name +
                         "' is never closed by [/docs]");
      continue;
    }
    if (!anchors.emplace(name, without_common_indent(body)).second) {
      problems.push_back(file_name + ":" + std::to_string(i + 1) + ": anchor '" + name +
                         "' is defined twice");
    }
  }
}

std::vector<Snippet> find_snippets(const std::string& markdown) {
  std::vector<std::string> lines = split_lines(markdown);
  std::vector<Snippet> snippets;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find("<!--") == std::string::npos) continue;
    std::string name = name_after(lines[i], "snippet:", "-->");
    if (name.empty()) continue;
    Snippet snippet{name, "", static_cast<int>(i + 1)};
    std::size_t j = i + 1;
    if (j < lines.size() && lines[j].rfind("```", 0) == 0) {
      std::vector<std::string> body;
      for (++j; j < lines.size() && lines[j].rfind("```", 0) != 0; ++j) body.push_back(lines[j]);
      snippet.text = without_common_indent(body);
    } else {
      snippet.text = "\x01no fenced block after the marker";
    }
    snippets.push_back(snippet);
  }
  return snippets;
}

std::vector<std::string> check_snippets(const std::string& file_name, const std::string& markdown,
                                        const std::map<std::string, std::string>& anchors) {
  std::vector<std::string> problems;
  for (const Snippet& snippet : find_snippets(markdown)) {
    std::string where =
        file_name + ":" + std::to_string(snippet.line) + ": snippet '" + snippet.name + "'";
    auto anchor = anchors.find(snippet.name);
    if (anchor == anchors.end()) {
      problems.push_back(where + " names no anchor in the source");
    } else if (snippet.text.starts_with("\x01")) {
      problems.push_back(where + ": no fenced code block right after the marker");
    } else if (trim_right(snippet.text) != trim_right(anchor->second)) {
      problems.push_back(where + " differs from the source; the source now says:\n" +
                         anchor->second);
    }
  }
  return problems;
}

std::optional<std::string> fenced_block_after(const std::string& markdown,
                                              const std::string& marker) {
  std::vector<std::string> lines = split_lines(markdown);
  auto at = std::find_if(lines.begin(), lines.end(), [&](const std::string& line) {
    return line.find(marker) != std::string::npos;
  });
  auto is_fence = [](const std::string& line) { return line.rfind("```", 0) == 0; };
  auto open = std::find_if(at, lines.end(), is_fence);
  if (at == lines.end() || open == lines.end()) return std::nullopt;
  auto close = std::find_if(open + 1, lines.end(), is_fence);
  if (close == lines.end()) return std::nullopt;
  std::string block;
  for (auto line = open; line <= close; ++line) block += *line + '\n';
  return block;
}

std::string heading_anchor(const std::string& heading_text) {
  std::string anchor;
  for (unsigned char c : heading_text) {
    if (std::isalnum(c) || c == '-' || c == '_') {
      anchor += static_cast<char>(std::tolower(c));
    } else if (c == ' ') {
      anchor += '-';
    } else if (c >= 0x80) {
      anchor += static_cast<char>(c);  // keep UTF-8 letters as they are
    }
  }
  return anchor;
}

std::vector<std::string> check_links(const std::filesystem::path& path,
                                     const std::string& markdown) {
  std::vector<std::string> problems;
  std::vector<std::string> lines = split_lines(markdown);
  bool in_code = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind("```", 0) == 0) in_code = !in_code;
    if (in_code) continue;
    // Every "](target)" on the line: a markdown link or image.
    for (std::size_t at = lines[i].find("]("); at != std::string::npos;
         at = lines[i].find("](", at + 2)) {
      std::size_t close = lines[i].find(')', at + 2);
      if (close == std::string::npos) break;
      std::string target = lines[i].substr(at + 2, close - at - 2);
      if (target.empty() || target.find_first_of(" \t") != std::string::npos) continue;
      if (target.find("://") != std::string::npos || target.starts_with("mailto:")) continue;
      std::string file = target.substr(0, target.find('#'));
      std::string fragment =
          target.find('#') == std::string::npos ? "" : target.substr(target.find('#') + 1);
      std::filesystem::path resolved = file.empty() ? path : path.parent_path() / file;
      std::string where =
          path.filename().string() + ":" + std::to_string(i + 1) + ": link '" + target + "'";
      if (!std::filesystem::exists(resolved)) {
        problems.push_back(where + ": no such file");
        continue;
      }
      if (fragment.empty() || resolved.extension() != ".md") continue;
      std::set<std::string> headings;
      bool in_fence = false;
      for (const std::string& line : split_lines(read_file(resolved))) {
        if (line.rfind("```", 0) == 0) in_fence = !in_fence;
        if (!in_fence && line.rfind("#", 0) == 0) {
          std::size_t text = line.find_first_not_of('#');
          if (text != std::string::npos)
            headings.insert(heading_anchor(line.substr(line.find_first_not_of(" ", text))));
        }
      }
      if (!headings.contains(fragment)) problems.push_back(where + ": no such heading");
    }
  }
  return problems;
}

}  // namespace docs_check
