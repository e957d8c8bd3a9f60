// client_answer_check.cpp: fuzz::check_client_answer (checks.hpp).
//
// The rule every client keeps (docs/reliability.md, "Only the answer to the request
// sent"): accept "Response to Request <id>" and nothing else, and word anything else,
// escaped and cut to 80 bytes, so that a mixed-up connection or a stranger on the port
// can neither pass for an answer nor write to the terminal.
#include <sstream>
#include <string>
#include <string_view>

#include "common/client_options.hpp"
#include "common/protocol.hpp"
#include "common/run_report.hpp"
#include "tests/fuzz/checks.hpp"
#include "tests/fuzz/reference.hpp"

namespace fuzz {

namespace {

constexpr int ids = 100;

bool printable(std::string_view text) {
  for (const char c : text) {
    if (c < ' ' || c > '~') return false;
  }
  return true;
}

}  // namespace

void check_client_answer(std::span<const std::uint8_t> input) {
  if (input.empty()) return;
  const int id = input[0] % ids;
  const std::string_view bytes(reinterpret_cast<const char*>(input.data() + 1), input.size() - 1);
  std::string request = common::protocol::request_text(id);
  std::string_view answer = bytes;
  const std::size_t newline = bytes.find('\n');
  const bool own_request = newline != std::string_view::npos;
  if (own_request) {
    request = std::string(bytes.substr(0, newline));
    answer = bytes.substr(newline + 1);
  }

  // The rule alone.
  const std::string expected = reference_wrong_answer(request, answer);
  const std::string wrong = common::wrong_answer(request, answer);
  require(wrong == expected, "wrong_answer() differs from the reference");
  require(printable(wrong), "wrong_answer() holds a byte a terminal would obey");
  require(common::escaped(wrong, wrong.size()) == wrong, "escaping the words again changes them");

  // Through the report, as a client stage calls it.
  common::ClientOptions options;
  options.requests = ids;
  std::ostringstream out, err;
  common::RunReport report("fuzz", options, out, err);
  report.request_started(id);
  if (own_request) {
    report.request_succeeded(id, std::string(answer), request);
  } else {
    report.request_succeeded(id, std::string(answer));
  }
  const std::string label = "Request " + std::to_string(id);
  const common::RequestResult result = report.results()[static_cast<std::size_t>(id)];
  require(result.finished && report.finished() == 1, "the request did not end, or not alone");
  if (expected.empty()) {
    require(result.ok, "the report refused the answer to the request sent");
    require(result.response == answer, "the report kept another answer than the one given");
    require(
        out.str() == "Response for " + label + ": " + reference_shown(answer, answer.size()) + "\n",
        "the report printed the answer otherwise");
    require(err.str().empty(), "the report printed an error for a right answer");
  } else {
    require(!result.ok, "the report accepted a wrong answer");
    require(result.error == expected, "the report worded a wrong answer otherwise");
    require(out.str().empty(), "the report printed a wrong answer as a response");
    require(err.str() == label + " failed: " + expected + "\n",
            "the report printed a wrong answer's failure otherwise");
  }
  const std::string printed = out.str() + err.str();
  require(
      printable(std::string_view(printed).substr(0, printed.size() - 1)) && printed.ends_with('\n'),
      "a raw control byte reached the output");

  // A request ends once: a second answer, right or wrong, changes nothing.
  report.request_succeeded(id, common::protocol::response_text(request), request);
  report.request_succeeded(id, "not an answer", request);
  const common::RequestResult again = report.results()[static_cast<std::size_t>(id)];
  require(again.ok == result.ok && again.response == result.response &&
              again.error == result.error && report.finished() == 1,
          "a second answer changed an ended request");
}

}  // namespace fuzz
