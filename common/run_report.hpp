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
#include <string_view>
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
  // The server answered `response` (one line, without '\n') to "Request <id>". Only
  // "Response to Request <id>" is a success: anything else (an "ERROR " line, the answer
  // to another request, a line that is no answer at all) fails the request, saying what
  // came back (wrong_answer() below).
  void request_succeeded(int id, std::string response);
  // The same, for a client whose last line on the connection was `request` rather than
  // "Request <id>" (exercise 01's follow-up, "Request 7 again").
  void request_succeeded(int id, std::string response, std::string_view request);
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

  // The run stopped early (an exception left the stage's run: select's FD_SETSIZE, an
  // allocation failure): every request not ended yet fails with "run stopped: <why>".
  // What did end is kept, so finish() still reports it.
  void stop(const std::string& why);

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

// What is wrong with `answer` as the server's answer to `request` ("Request 7"), in
// the words a failed request reports; empty when it is the answer ("Response to
// Request 7"). The server echoes whatever it was sent, so a wrong line means a mixed-up
// connection or something else listening on the port: trusting it would report another
// request's answer as this one's.
//   "ERROR line too long"      -> server refused it: ERROR line too long
//   "Response to Request 777"  -> answer for another request: "Response to Request 777"
//   "HTTP/1.1 400 Bad Request" -> not an answer: "HTTP/1.1 400 Bad Request"
std::string wrong_answer(std::string_view request, std::string_view answer);

// `text` safe to print on a terminal: control bytes, DEL and bytes past ASCII become
// \xNN (so an answer holding "\x1b[31m" cannot recolour the terminal); past `max_bytes`
// of `text` the rest becomes "...". What it returns is printable ASCII, so escaping it
// again changes nothing.
std::string escaped(std::string_view text, std::size_t max_bytes = 80);

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
