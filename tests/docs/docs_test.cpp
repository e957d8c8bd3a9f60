#include <doctest/doctest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "docs_check.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path source_dir = AIO_SOURCE_DIR;

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool is_source(const fs::path& path) {
  static const std::set<std::string> extensions{".hpp", ".cpp",   ".h",  ".py",
                                                ".sh",  ".cmake", ".txt"};
  return extensions.contains(path.extension().string()) || path.filename() == "run";
}

// Skips build trees and hidden directories (.git).
template <typename Visit>
void walk(const fs::path& root, Visit visit) {
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    std::string name = it->path().filename().string();
    if (it->is_directory() && (name == "build" || (name.starts_with(".") && name != ".ci"))) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) visit(it->path());
  }
}

std::vector<fs::path> markdown_files() {
  std::vector<fs::path> files;
  walk(source_dir, [&](const fs::path& path) {
    if (path.extension() == ".md") files.push_back(path);
  });
  return files;
}

// The demo table's figures, by stage: "stage1_callbacks" -> "5.02 s | 50.2 s | 10/10 ok".
// A row is "| stage... | how | wall | one after another | result |"; the "how" column is
// in the reader's language, so it is left out.
std::map<std::string, std::string> demo_figures(const std::string& markdown) {
  std::map<std::string, std::string> figures;
  std::istringstream lines(markdown);
  for (std::string line; std::getline(lines, line);) {
    // "| stage0_blocking ...", not the header "| stage | how ..."
    if (!line.starts_with("| stage") || !std::isdigit(static_cast<unsigned char>(line[7])))
      continue;
    std::vector<std::string> cells;
    std::istringstream row(line.substr(1));
    for (std::string cell; std::getline(row, cell, '|');) {
      std::size_t first = cell.find_first_not_of(' ');
      if (first != std::string::npos)
        cells.push_back(cell.substr(first, cell.find_last_not_of(' ') + 1 - first));
    }
    if (cells.size() == 5) figures[cells[0]] = cells[2] + " | " + cells[3] + " | " + cells[4];
  }
  return figures;
}

}  // namespace

TEST_CASE("the checker finds an excerpt that drifted from its anchor") {
  std::map<std::string, std::string> anchors;
  std::vector<std::string> problems;
  docs_check::collect_anchors(
      "loop.cpp", "int x;\n  // [docs:demo-step]\n  void step() {\n    run();\n  }\n  // [/docs]\n",
      anchors, problems);
  CHECK(problems.empty());
  CHECK(anchors.at("demo-step") == "void step() {\n  run();\n}");

  std::string good = "Text\n<!-- snippet: demo-step -->\n```cpp\nvoid step() {\n  run();\n}\n```\n";
  CHECK(docs_check::check_snippets("doc.md", good, anchors).empty());

  std::string drifted = "<!-- snippet: demo-step -->\n```cpp\nvoid step() {\n  walk();\n}\n```\n";
  auto found = docs_check::check_snippets("doc.md", drifted, anchors);
  REQUIRE(found.size() == 1);
  CHECK(found[0].find("doc.md:1: snippet 'demo-step' differs") == 0);

  std::string missing = "<!-- snippet: demo-gone -->\n```cpp\nx\n```\n";
  CHECK(docs_check::check_snippets("doc.md", missing, anchors).size() == 1);

  docs_check::collect_anchors("other.cpp", "// [docs:demo-step]\n// [/docs]\n// [docs:open]\n",
                              anchors, problems);
  CHECK(problems.size() == 2);  // defined twice, and never closed
}

TEST_CASE("headings turn into the anchors GitHub makes") {
  CHECK(docs_check::heading_anchor("3. The loop") == "3-the-loop");
  CHECK(docs_check::heading_anchor("What `co_await` does") == "what-co_await-does");
}

TEST_CASE("every excerpt in the docs matches its anchor in the source") {
  std::map<std::string, std::string> anchors;
  std::vector<std::string> problems;
  walk(source_dir, [&](const fs::path& path) {
    // This directory's own tests hold sample markers in strings: they are not anchors.
    if (path.parent_path() == source_dir / "tests" / "docs" || !is_source(path)) return;
    docs_check::collect_anchors(fs::relative(path, source_dir).string(), read_file(path), anchors,
                                problems);
  });
  std::size_t snippets = 0;
  for (const fs::path& doc : markdown_files()) {
    std::string text = read_file(doc);
    snippets += docs_check::find_snippets(text).size();
    for (auto& problem :
         docs_check::check_snippets(fs::relative(doc, source_dir).string(), text, anchors)) {
      problems.push_back(problem);
    }
  }
  for (const auto& problem : problems) FAIL_CHECK(problem);
  MESSAGE(snippets << " excerpts checked against " << anchors.size() << " anchors");
}

TEST_CASE("no dead relative link in README.md or docs/") {
  REQUIRE(fs::exists(source_dir / "README.md"));
  for (const fs::path& doc : markdown_files()) {
    for (auto& problem : docs_check::check_links(doc, read_file(doc))) FAIL_CHECK(problem);
  }
}

TEST_CASE("a command is read as the fenced block after its marker") {
  std::string readme =
      "Text\n<!-- demo-command -->\nmore\n```sh\nbash run.sh\n```\n```sh\nx\n```\n";
  CHECK(docs_check::fenced_block_after(readme, "<!-- demo-command -->") ==
        "```sh\nbash run.sh\n```\n");
  CHECK_FALSE(docs_check::fenced_block_after(readme, "<!-- test-command -->"));
  CHECK_FALSE(docs_check::fenced_block_after("<!-- demo-command -->\n```sh\nopen\n", "demo"));
}

// A Japanese reader copies the commands from docs/ja/README.md: they must be the English
// README's two set-up commands, byte for byte, or one of the two has drifted.
TEST_CASE("docs/ja/README.md gives the English README's two commands") {
  std::string english = read_file(source_dir / "README.md");
  std::string japanese = read_file(source_dir / "docs" / "ja" / "README.md");
  for (const std::string marker : {"<!-- demo-command -->", "<!-- test-command -->"}) {
    CAPTURE(marker);
    std::optional<std::string> command = docs_check::fenced_block_after(english, marker);
    REQUIRE(command);
    CHECK(docs_check::fenced_block_after(japanese, marker).value_or("(no block after it)") ==
          *command);
  }
}

// The Japanese page's 50 s / 5 s table quotes a real run: the same run the English one does.
TEST_CASE("docs/ja/README.md shows the English README's 50 s / 5 s figures") {
  auto english = demo_figures(read_file(source_dir / "README.md"));
  CHECK(english.size() >= 6);  // every stage, and the variants
  CHECK(demo_figures(read_file(source_dir / "docs" / "ja" / "README.md")) == english);
}
