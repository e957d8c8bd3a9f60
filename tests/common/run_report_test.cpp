#include <doctest/doctest.h>

#include <sstream>
#include <string>

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
  report.request_succeeded(1, "Response to \"Request\" 1");
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
