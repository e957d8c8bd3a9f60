// run_report.hpp: what every client stage prints about its run.
//
// A stage tells the report when each request starts and how it ends; the report
// prints "Response for Request <id>: <response>" as answers arrive, and at the end
// the summary line and an ASCII timeline (or, with --json, one JSON object).
// The report is thread-safe, for stage 0's thread-per-request mode.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <mutex>
#include <string>
#include <vector>

#include "common/client_options.hpp"
#include "common/clock.hpp"

namespace common {

struct RequestResult {
  int id = 0;
  bool started = false;
  bool finished = false;
  bool ok = false;
  std::string response;  // the line the server answered (without '\n'), when ok
  std::string error;     // what went wrong, when not ok
  double start = 0;      // seconds since the run started
  double end = 0;
  // Optional phase marks for --trace (negative: the stage did not mark it).
  double connected = -1;   // the connection is up
  double sent = -1;        // the whole request is written; now we wait
  double first_byte = -1;  // the first byte of the answer arrived
};

class RunReport {
 public:
  // The run's clock starts now. `stage` is the binary's name ("stage1_callbacks").
  RunReport(std::string stage, const ClientOptions& options, std::ostream& out, std::ostream& err);

  // Seconds since the run started.
  double elapsed() const;

  void request_started(int id);
  // The server answered `response` (one line, without '\n'). An answer that starts
  // with "ERROR " (the server refusing the request) is recorded as a failure.
  void request_succeeded(int id, std::string response);
  // The request failed; `error` says why ("connect to 127.0.0.1:8080: Connection refused").
  // The report prefixes "Request <id> failed: ".
  void request_failed(int id, std::string error);

  // Optional marks of the phases inside a request, drawn by --trace as spans
  // connect / send / wait / read. A stage that does not call them still gets one
  // span per request.
  void request_connected(int id);
  void request_sent(int id);
  void response_started(int id);

  // How many requests have finished (either way).
  std::size_t finished() const;

  // Prints the summary and the timeline (or the JSON object) and returns the exit
  // code: 0 if every request succeeded, else 1. A request never finished counts as
  // failed ("never finished").
  int finish();

  // For tests: every request's outcome, indexed by id.
  std::vector<RequestResult> results() const;
  double wall_seconds() const { return wall_seconds_; }

 private:
  RequestResult& slot(int id);  // caller holds mutex_

  std::string stage_;
  ClientOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  TimePoint start_;
  double wall_seconds_ = 0;
  mutable std::mutex mutex_;
  std::vector<RequestResult> results_;  // indexed by id
  std::size_t finished_ = 0;
};

// The pieces finish() prints, exposed for tests.
std::string summary_line(const std::vector<RequestResult>& results, double wall_seconds);
// One bar per request (or per group of requests when there are many) over the run's
// time axis, at most `max_rows` rows, `width` columns of bar.
std::string ascii_timeline(const std::vector<RequestResult>& results, double wall_seconds,
                           std::size_t width = 50, std::size_t max_rows = 20);
// The run as Chrome trace-event JSON (open it in https://ui.perfetto.dev or
// chrome://tracing): one track per request, a span per phase.
std::string chrome_trace(const std::string& stage, const std::vector<RequestResult>& results);
std::string json_report(const std::string& stage, const ClientOptions& options,
                        const std::vector<RequestResult>& results, double wall_seconds);

}  // namespace common
