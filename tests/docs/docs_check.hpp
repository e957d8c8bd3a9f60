// docs_check.hpp: keeps the docs and the code telling one story.
//
// In the source, an excerpt sits between two marker lines:
//     // [docs:stage1-on-connected]
//     ...the lines a doc quotes...
//     // [/docs]
// In a doc, the quote is the marker comment and a fenced block right after it:
//     <!-- snippet: stage1-on-connected -->
//     ```cpp
//     ...the same lines, common indentation removed...
//     ```
// check_snippets() reports every quote whose text differs from its anchor, and every
// quote naming an anchor that does not exist; check_links() reports every relative link
// to a file (or a heading) that does not exist; fenced_block_after() reads a command
// that two READMEs must give alike.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace docs_check {

// Anchor name -> the excerpt (lines joined with '\n', common indentation removed).
// Adds to `anchors`; a name defined twice, or an anchor never closed, goes to `problems`.
void collect_anchors(const std::string& file_name, const std::string& text,
                     std::map<std::string, std::string>& anchors,
                     std::vector<std::string>& problems);

struct Snippet {
  std::string name;
  std::string text;  // the fenced block's content
  int line = 0;      // where the marker is, 1-based
};
std::vector<Snippet> find_snippets(const std::string& markdown);

// Problems with the snippets of one document, each naming the file and line.
std::vector<std::string> check_snippets(const std::string& file_name, const std::string& markdown,
                                        const std::map<std::string, std::string>& anchors);

// Problems with the relative links of the markdown file at `path`.
std::vector<std::string> check_links(const std::filesystem::path& path,
                                     const std::string& markdown);

// The first fenced block after the line holding `marker`, fences included, byte for byte
// (the way .ci/run reads the README's test command); nullopt if there is none.
std::optional<std::string> fenced_block_after(const std::string& markdown,
                                              const std::string& marker);

// GitHub's anchor for a heading: "## 3. The loop" -> "3-the-loop".
std::string heading_anchor(const std::string& heading_text);

}  // namespace docs_check
