#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "common/client_main.hpp"
#include "common/run_report.hpp"

namespace {

common::ClientOptions options_for(int requests) {
  common::ClientOptions options;
  options.requests = requests;
  return options;
}

common::RequestResult done(int id, double start, double end, bool ok = true) {
  common::RequestResult result;
  result.id = id;
  result.started = result.finished = true;
  result.ok = ok;
  result.start = start;
  result.end = end;
  result.response = ok ? "Response to Request " + std::to_string(id) : "";
  result.error = ok ? "" : "connect to 127.0.0.1:1: Connection refused";
  return result;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the summary counts answers and what one-after-another would take") {
  std::vector<common::RequestResult> results{done(0, 0, 5), done(1, 0, 5.02)};
  CHECK(common::summary_line(results, 5.03) ==
        "2/2 responses in 5.03 s (one after another: 10.0 s)");
  results[0] = done(0, 0, 0.01, false);
  CHECK(common::summary_line(results, 5.03) ==
        "1/2 responses in 5.03 s (one after another: 5.0 s), 1 failed");
}

TEST_CASE("the timeline draws one bar per request, sequential bars one after another") {
  std::vector<common::RequestResult> results{done(0, 5, 10), done(1, 0, 5)};
  std::string timeline = common::ascii_timeline(results, 10, 10);
  std::istringstream lines(timeline);
  std::string first, second, axis;
  std::getline(lines, first);
  std::getline(lines, second);
  std::getline(lines, axis);
  CHECK(first == "Request 1 |#####     | 0.00-5.00 s");  // sent first: id N-1
  CHECK(second == "Request 0 |     #####| 5.00-10.00 s");
  CHECK(contains(axis, "0 s"));
  CHECK(contains(axis, "10.00 s"));
}

TEST_CASE("the timeline groups many requests to stay on one screen, and marks failures") {
  std::vector<common::RequestResult> results;
  for (int id = 0; id < 1000; ++id) results.push_back(done(id, 0, 1, id != 3));
  std::string timeline = common::ascii_timeline(results, 1, 20, 20);
  std::size_t rows = 0;
  for (char c : timeline) rows += c == '\n';
  CHECK(rows == 21);  // 20 groups and the axis
  CHECK(contains(timeline, "Requests 999-950 |####################|"));
  CHECK(contains(timeline, "Requests 49-0    |xxxxxxxxxxxxxxxxxxxx| 0.00-1.00 s (failed)"));
}

TEST_CASE("the report prints answers as they come and the exit code says if all succeeded") {
  std::ostringstream out, err;
  common::RunReport report("stage_test", options_for(2), out, err);
  report.request_started(1);
  report.request_started(0);
  report.request_succeeded(1, "Response to Request 1");
  CHECK(out.str() == "Response for Request 1: Response to Request 1\n");
  report.request_failed(0, "timed out after 1 s");
  report.request_succeeded(0, "late");  // a request ends once
  CHECK(err.str() == "Request 0 failed: timed out after 1 s\n");
  CHECK(report.finished() == 2);
  CHECK(report.finish() == 1);
  CHECK(contains(out.str(), "1/2 responses in"));
  auto results = report.results();
  CHECK(results[1].ok);
  CHECK_FALSE(results[0].ok);
  CHECK(results[0].error == "timed out after 1 s");
}

TEST_CASE("an ERROR line from the server is a failure, and unfinished requests fail") {
  std::ostringstream out, err;
  common::RunReport report("stage_test", options_for(3), out, err);
  report.request_succeeded(2, "ERROR line too long");
  report.request_succeeded(1, "Response to Request 1");
  CHECK(report.finish() == 1);
  auto results = report.results();
  CHECK_FALSE(results[2].ok);
  CHECK(contains(results[2].error, "ERROR line too long"));
  CHECK(results[0].error == "never finished");
}

TEST_CASE("--json prints one object with every result, nothing else") {
  std::ostringstream out, err;
  auto options = options_for(2);
  options.json = true;
  common::RunReport report("stage_test", options, out, err);
  report.request_started(1);
  report.request_succeeded(1, "Response to \"Request\" 1", "\"Request\" 1");  // quotes to escape
  report.request_failed(0, "reset");
  CHECK(report.finish() == 1);
  std::string json = out.str();
  CHECK(json.front() == '{');
  CHECK(json.find('\n') == json.size() - 1);
  CHECK(contains(json, "\"stage\": \"stage_test\", \"requests\": 2, \"ok\": 1, \"failed\": 1"));
  CHECK(
      contains(json, "{\"id\": 1, \"ok\": true, \"response\": \"Response to \\\"Request\\\" 1\""));
  CHECK(contains(json, "{\"id\": 0, \"ok\": false, \"response\": null"));
  CHECK(contains(json, "\"error\": \"reset\"}"));
  CHECK(err.str().empty());
}

TEST_CASE("--trace writes one track per request with a span per marked phase") {
  std::vector<common::RequestResult> results{done(0, 0, 5), done(1, 0, 0.5, false)};
  results[0].connected = 0.001;
  results[0].sent = 0.002;
  results[0].first_byte = 4.9;
  std::string trace = common::chrome_trace("stage_test", results);
  CHECK(trace.starts_with("{\"displayTimeUnit\": \"ms\", \"traceEvents\": ["));
  CHECK(contains(trace, "\"args\": {\"name\": \"Request 0\"}"));
  CHECK(contains(
      trace,
      "{\"name\": \"connect\", \"ph\": \"X\", \"pid\": 1, \"tid\": 0, \"ts\": 0, \"dur\": 1000}"));
  CHECK(contains(trace,
                 "{\"name\": \"wait\", \"ph\": \"X\", \"pid\": 1, \"tid\": 0, \"ts\": 2000, "
                 "\"dur\": 4898000}"));
  CHECK(contains(trace,
                 "{\"name\": \"read\", \"ph\": \"X\", \"pid\": 1, \"tid\": 0, \"ts\": 4900000, "
                 "\"dur\": 100000}"));
  // Unmarked phases fold into the wait; a failure says so.
  CHECK(contains(trace,
                 "{\"name\": \"wait (failed)\", \"ph\": \"X\", \"pid\": 1, \"tid\": 1, \"ts\": 0, "
                 "\"dur\": 500000}"));
}

TEST_CASE("only the answer to its own request succeeds: the rule, in the words it reports") {
  CHECK(common::wrong_answer("Request 7", "Response to Request 7").empty());
  CHECK(common::wrong_answer("Request 7", "ERROR line too long") ==
        "server refused it: ERROR line too long");
  CHECK(common::wrong_answer("Request 7", "Response to Request 777") ==
        "answer for another request: \"Response to Request 777\"");
  CHECK(common::wrong_answer("Request 7", "Response to Request 7 again") ==
        "answer for another request: \"Response to Request 7 again\"");
  CHECK(common::wrong_answer("Request 7", "HTTP/1.1 400 Bad Request") ==
        "not an answer: \"HTTP/1.1 400 Bad Request\"");
  CHECK(common::wrong_answer("Request 7", "") == "not an answer: \"\"");
  // Another request's line: exercise 01's follow-up.
  CHECK(common::wrong_answer("Request 7 again", "Response to Request 7 again").empty());
  // What came back is escaped and cut to 80 bytes.
  CHECK(common::wrong_answer("Request 7", "\x1b[31m\x07\xff\xfe") ==
        "not an answer: \"\\x1b[31m\\x07\\xff\\xfe\"");
  CHECK(common::wrong_answer("Request 7", std::string(200, 'A')) ==
        "not an answer: \"" + std::string(80, 'A') + "...\"");
}

TEST_CASE("the report fails a request whose answer is not its own, and the run exits 1") {
  std::ostringstream out, err;
  common::RunReport report("stage_test", options_for(3), out, err);
  report.request_succeeded(2, "Response to Request 777");
  report.request_succeeded(1, "Response to Request 1 again", "Request 1 again");
  report.request_succeeded(0, "Response to Request 0");
  CHECK(report.finish() == 1);
  auto results = report.results();
  CHECK_FALSE(results[2].ok);
  CHECK(results[2].error == "answer for another request: \"Response to Request 777\"");
  CHECK(results[1].ok);
  CHECK(results[0].ok);
  CHECK(err.str() == "Request 2 failed: answer for another request: \"Response to Request 777\"\n");
}

TEST_CASE("--json stays valid JSON whatever bytes an answer or an error holds") {
  const std::string hostile = "Response \x1b[31mred\x07 \xff\xfe caf\xc3\xa9 \x7f\"\\";
  std::vector<common::RequestResult> results{done(0, 0, 1), done(1, 0, 1, false)};
  results[0].response = hostile;  // as if it had been accepted: the writer must not trust it
  results[1].error = hostile;
  std::string json = common::json_report("stage_test", options_for(2), results, 1);
  CHECK(json.find('\x1b') == std::string::npos);
  CHECK(contains(json, "\\u001b[31mred\\u0007 \xef\xbf\xbd\xef\xbf\xbd caf\xc3\xa9 \\u007f"));
  // nlohmann::json::parse is strict: raw control bytes or bytes that are not UTF-8 in a
  // string throw, so what parses here is what any JSON reader accepts.
  nlohmann::json parsed;
  REQUIRE_NOTHROW(parsed = nlohmann::json::parse(json));
  const std::string expected =
      "Response \x1b[31mred\x07 \xef\xbf\xbd\xef\xbf\xbd caf\xc3\xa9 \x7f\"\\";
  CHECK(parsed["results"][1]["response"] == expected);  // sent first: id 1
  CHECK(parsed["results"][0]["error"] == expected);
}

TEST_CASE("--json writes every kind of malformed UTF-8 as U+FFFD, one per byte") {
  const std::string fffd = "\xef\xbf\xbd";
  std::vector<common::RequestResult> results{done(0, 0, 1)};
  // A stray continuation byte, an overlong '/', an overlong 3-byte form, a surrogate,
  // a code point past U+10FFFF, a cut sequence, a byte no UTF-8 uses; each between
  // well-formed text, which must come through untouched.
  for (std::string bad : {"\x80", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                          "\xe2\x82", "\xf8"}) {
    CAPTURE(bad);
    results[0].response = "<" + bad + "\xc3\xa9>";
    nlohmann::json parsed;
    REQUIRE_NOTHROW(parsed = nlohmann::json::parse(
                        common::json_report("stage_test", options_for(1), results, 1)));
    std::string replaced;
    for (std::size_t i = 0; i < bad.size(); ++i) replaced += fffd;
    CHECK(parsed["results"][0]["response"] == "<" + replaced + "\xc3\xa9>");
  }
  // The reader itself rejects raw invalid UTF-8, so the checks above mean something.
  CHECK_FALSE(nlohmann::json::accept("\"\xff\""));
}

TEST_CASE("--json escapes quotes, backslashes and every control byte") {
  std::string all_controls;
  for (int c = 0; c < 0x20; ++c) all_controls += static_cast<char>(c);
  all_controls += '\x7f';
  std::vector<common::RequestResult> results{done(0, 0, 1)};
  results[0].response = "say \"hi\" C:\\dir " + all_controls;
  std::string json = common::json_report("stage_test", options_for(1), results, 1);
  for (char c : all_controls) CHECK(json.find(c) == std::string::npos);  // none raw
  nlohmann::json parsed;
  REQUIRE_NOTHROW(parsed = nlohmann::json::parse(json));
  CHECK(parsed["results"][0]["response"] == results[0].response);  // the same bytes back
  CHECK(parsed["stage"] == "stage_test");
}

TEST_CASE("text output shows an answer's control bytes escaped, never raw") {
  std::ostringstream out, err;
  common::RunReport report("stage_test", options_for(1), out, err);
  report.request_succeeded(0, "Response to Request 0\x1b[31m\x07\xff\xfe");
  report.request_failed(0, "late \x1b[2J");  // ignored: a request ends once
  CHECK(report.finish() == 1);
  CHECK(err.str() ==
        "Request 0 failed: answer for another request: "
        "\"Response to Request 0\\x1b[31m\\x07\\xff\\xfe\"\n");
  // An error worded by a stage is escaped as it is printed, too.
  std::ostringstream out2, err2;
  common::RunReport report2("stage_test", options_for(1), out2, err2);
  report2.request_failed(0, "odd \x1b[2J\x07");
  CHECK(err2.str() == "Request 0 failed: odd \\x1b[2J\\x07\n");
  CHECK((out.str() + out2.str()).find('\x1b') == std::string::npos);
}

TEST_CASE("a run that throws halfway still reports: what ended is kept, the rest stopped") {
  auto options = options_for(4);
  options.json = true;
  options.trace_file = "run_report_test_abort_trace.json";
  std::remove(options.trace_file.c_str());
  std::ostringstream out, err;
  common::RunReport report("stage_test", options, out, err);
  auto run = [](const common::ClientOptions&, common::RunReport& report) {
    for (int id : {3, 2, 1, 0}) report.request_started(id);
    report.request_succeeded(3, "Response to Request 3");
    report.request_failed(2, "timed out after 1 s");
    throw std::runtime_error("select: fd 1024 >= FD_SETSIZE");
  };
  CHECK(common::run_to_the_end("stage_test", run, options, report, err) == 1);
  CHECK(err.str() == "stage_test: error: select: fd 1024 >= FD_SETSIZE\n");

  nlohmann::json json;
  REQUIRE_NOTHROW(json = nlohmann::json::parse(out.str()));
  CHECK(json["ok"] == 1);
  CHECK(json["failed"] == 3);
  const nlohmann::json& results = json["results"];  // in sending order: ids 3, 2, 1, 0
  REQUIRE(results.size() == 4);
  CHECK(results[0]["response"] == "Response to Request 3");
  CHECK(results[1]["error"] == "timed out after 1 s");
  CHECK(results[2]["error"] == "run stopped: select: fd 1024 >= FD_SETSIZE");
  CHECK(results[3]["error"] == "run stopped: select: fd 1024 >= FD_SETSIZE");

  std::ifstream trace_file(options.trace_file);
  REQUIRE(trace_file);
  std::string trace{std::istreambuf_iterator<char>(trace_file), {}};
  CHECK(nlohmann::json::accept(trace));
  CHECK(contains(trace, "\"args\": {\"name\": \"Request 3\"}"));
  std::remove(options.trace_file.c_str());
}

TEST_CASE("a run that throws after every request ended still exits 1, with its summary") {
  std::ostringstream out, err;
  auto options = options_for(1);
  common::RunReport report("stage_test", options, out, err);
  auto run = [](const common::ClientOptions&, common::RunReport& report) {
    report.request_succeeded(0, "Response to Request 0");
    throw std::bad_alloc();
  };
  CHECK(common::run_to_the_end("stage_test", run, options, report, err) == 1);
  CHECK(contains(err.str(), "stage_test: error: "));
  CHECK(contains(out.str(), "1/1 responses in"));
}
