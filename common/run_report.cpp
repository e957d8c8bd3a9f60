#include "common/run_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <sstream>

#include "common/protocol.hpp"

namespace common {

RunReport::RunReport(std::string stage, const ClientOptions& options, std::ostream& out,
                     std::ostream& err)
    : stage_(std::move(stage)),
      options_(options),
      out_(out),
      err_(err),
      start_(Clock::now()),
      results_(static_cast<std::size_t>(options.requests)) {
  for (std::size_t id = 0; id < results_.size(); ++id) results_[id].id = static_cast<int>(id);
}

double RunReport::elapsed() const {
  return Seconds(Clock::now() - start_).count();
}

RequestResult& RunReport::slot(int id) {
  if (id < 0 || static_cast<std::size_t>(id) >= results_.size()) {
    throw std::out_of_range("no request with id " + std::to_string(id));
  }
  return results_[static_cast<std::size_t>(id)];
}

void RunReport::request_started(int id) {
  std::lock_guard lock(mutex_);
  RequestResult& result = slot(id);
  result.started = true;
  result.start = elapsed();
}

void RunReport::request_succeeded(int id, std::string response) {
  request_succeeded(id, std::move(response), protocol::request_text(id));
}

void RunReport::request_succeeded(int id, std::string response, std::string_view request) {
  if (std::string wrong = wrong_answer(request, response); !wrong.empty()) {
    request_failed(id, std::move(wrong));
    return;
  }
  std::lock_guard lock(mutex_);
  RequestResult& result = slot(id);
  if (result.finished) return;  // a request ends once
  result.finished = result.ok = true;
  result.end = elapsed();
  result.response = std::move(response);
  ++finished_;
  if (!options_.quiet && !options_.json) {
    // Flushed at once, so a script reading our output through a pipe or a file sees each
    // answer as it arrives (the demo's live progress line counts these lines).
    // escaped(): the line is checked, but the terminal is never handed raw bytes of the
    // network (the same for errors below).
    out_ << "Response for Request " << id << ": "
         << escaped(result.response, result.response.size()) << "\n"
         << std::flush;
  }
}

void RunReport::request_failed(int id, std::string error) {
  std::lock_guard lock(mutex_);
  RequestResult& result = slot(id);
  if (result.finished) return;
  result.finished = true;
  result.ok = false;
  result.end = elapsed();
  result.error = std::move(error);
  ++finished_;
  if (!options_.json) {
    err_ << "Request " << id << " failed: " << escaped(result.error, result.error.size()) << "\n";
  }
}

void RunReport::stop(const std::string& why) {
  std::lock_guard lock(mutex_);
  for (RequestResult& result : results_) {
    if (result.finished) continue;
    // No line per request on stderr: the caller prints the one reason once.
    result.finished = true;
    result.end = elapsed();
    result.error = "run stopped: " + why;
    ++finished_;
  }
}

void RunReport::request_connected(int id) {
  std::lock_guard lock(mutex_);
  slot(id).connected = elapsed();
}

void RunReport::request_sent(int id) {
  std::lock_guard lock(mutex_);
  slot(id).sent = elapsed();
}

void RunReport::response_started(int id) {
  std::lock_guard lock(mutex_);
  RequestResult& result = slot(id);
  if (result.first_byte < 0) result.first_byte = elapsed();
}

std::size_t RunReport::finished() const {
  std::lock_guard lock(mutex_);
  return finished_;
}

std::vector<RequestResult> RunReport::results() const {
  std::lock_guard lock(mutex_);
  return results_;
}

int RunReport::finish() {
  std::lock_guard lock(mutex_);
  wall_seconds_ = elapsed();
  for (RequestResult& result : results_) {
    if (!result.finished) {
      result.finished = true;
      result.error = "never finished";
      result.end = wall_seconds_;
    }
  }
  if (options_.json) {
    out_ << json_report(stage_, options_, results_, wall_seconds_) << "\n";
  } else {
    out_ << summary_line(results_, wall_seconds_) << "\n";
    out_ << ascii_timeline(results_, wall_seconds_);
  }
  out_.flush();
  if (!options_.trace_file.empty()) {
    std::ofstream trace(options_.trace_file);
    trace << chrome_trace(stage_, results_) << "\n";
    if (!trace) err_ << stage_ << ": cannot write the trace to " << options_.trace_file << "\n";
  }
  bool all_ok = std::all_of(results_.begin(), results_.end(), [](const auto& r) { return r.ok; });
  return all_ok ? 0 : 1;
}

std::string wrong_answer(std::string_view request, std::string_view answer) {
  if (answer == protocol::response_text(request)) return {};
  // The server refusing the request: its own words, as before.
  if (answer.starts_with("ERROR ")) return "server refused it: " + escaped(answer);
  // The server answers "Response to <what it was sent>": this is some request's answer.
  if (answer.starts_with("Response to ")) {
    return "answer for another request: \"" + escaped(answer) + "\"";
  }
  return "not an answer: \"" + escaped(answer) + "\"";
}

std::string escaped(std::string_view text, std::size_t max_bytes) {
  std::string shown;
  for (unsigned char c : text.substr(0, max_bytes)) {
    if (c < 0x20 || c >= 0x7f) {
      char code[8];
      std::snprintf(code, sizeof code, "\\x%02x", c);
      shown += code;
    } else {
      shown += static_cast<char>(c);
    }
  }
  if (text.size() > max_bytes) shown += "...";
  return shown;
}

namespace {

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

// Requests in the order they were sent: ids N-1 down to 0.
std::vector<const RequestResult*> in_sending_order(const std::vector<RequestResult>& results) {
  std::vector<const RequestResult*> ordered;
  for (auto it = results.rbegin(); it != results.rend(); ++it) ordered.push_back(&*it);
  return ordered;
}

// How many bytes of `text` from `at` make one well-formed UTF-8 character (1 to 4), or 0
// when they do not: a stray continuation byte, a cut or overlong sequence, a surrogate,
// a code point past U+10FFFF.
std::size_t utf8_length(std::string_view text, std::size_t at) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
  unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  std::size_t length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
  if (length == 0 || lead > 0xf4 || at + length > text.size()) return 0;
  char32_t code = lead & (0x7f >> length);
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xc0) != 0x80) return 0;
    code = (code << 6) | (byte(i) & 0x3f);
  }
  constexpr char32_t least[] = {0, 0, 0x80, 0x800, 0x10000};  // shorter forms are overlong
  if (code < least[length] || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return 0;
  return length;
}

// A JSON string that any JSON reader accepts, whatever bytes came off the network:
// control bytes become \u00XX, and what is not UTF-8 becomes U+FFFD, the replacement
// character (JSON text must be Unicode; a strict reader rejects the whole document).
std::string json_string(std::string_view text) {
  std::string quoted = "\"";
  for (std::size_t at = 0; at < text.size();) {
    std::size_t length = utf8_length(text, at);
    if (length == 0) {
      quoted += "\xEF\xBF\xBD";  // U+FFFD in UTF-8, for this one byte
      ++at;
      continue;
    }
    if (length > 1) {
      quoted += text.substr(at, length);  // well-formed UTF-8 passes through as it is
      at += length;
      continue;
    }
    unsigned char c = static_cast<unsigned char>(text[at++]);
    switch (c) {
      case '"':
        quoted += "\\\"";
        break;
      case '\\':
        quoted += "\\\\";
        break;
      case '\n':
        quoted += "\\n";
        break;
      case '\r':
        quoted += "\\r";
        break;
      case '\t':
        quoted += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {  // DEL is legal JSON, but no terminal should get it
          char code[8];
          std::snprintf(code, sizeof code, "\\u%04x", c);
          quoted += code;
        } else {
          quoted += static_cast<char>(c);
        }
    }
  }
  return quoted + "\"";
}

}  // namespace

std::string summary_line(const std::vector<RequestResult>& results, double wall_seconds) {
  std::size_t ok = 0;
  double one_after_another = 0;  // what the same requests take if each waits for the last
  for (const RequestResult& result : results) {
    if (result.ok) ++ok;
    if (result.started) one_after_another += result.end - result.start;
  }
  std::string line = std::to_string(ok) + "/" + std::to_string(results.size()) + " responses in " +
                     fixed(wall_seconds, 2) +
                     " s (one after another: " + fixed(one_after_another, 1) + " s)";
  if (ok < results.size()) line += ", " + std::to_string(results.size() - ok) + " failed";
  return line;
}

std::string ascii_timeline(const std::vector<RequestResult>& results, double wall_seconds,
                           std::size_t width, std::size_t max_rows) {
  if (results.empty() || width == 0 || max_rows == 0) return {};
  auto ordered = in_sending_order(results);
  // Many requests: each row is a group of consecutive requests, so the picture stays on one screen.
  std::size_t per_row = (ordered.size() + max_rows - 1) / max_rows;
  double axis = std::max(wall_seconds, 1e-9);

  struct Row {
    std::string label;
    double start, end;
    bool all_ok;
  };
  std::vector<Row> rows;
  for (std::size_t first = 0; first < ordered.size(); first += per_row) {
    std::size_t last = std::min(first + per_row, ordered.size()) - 1;
    Row row{per_row == 1 ? "Request " + std::to_string(ordered[first]->id)
                         : "Requests " + std::to_string(ordered[first]->id) + "-" +
                               std::to_string(ordered[last]->id),
            axis, 0, true};
    for (std::size_t i = first; i <= last; ++i) {
      row.start = std::min(row.start, ordered[i]->start);
      row.end = std::max(row.end, ordered[i]->end);
      row.all_ok = row.all_ok && ordered[i]->ok;
    }
    rows.push_back(row);
  }

  std::size_t label_width = 0;
  for (const Row& row : rows) label_width = std::max(label_width, row.label.size());
  std::ostringstream out;
  for (const Row& row : rows) {
    auto column = [&](double t) {
      return static_cast<std::size_t>(std::clamp(t / axis, 0.0, 1.0) * double(width));
    };
    std::size_t from = std::min(column(row.start), width - 1);
    std::size_t to = std::max(
        from + 1,
        std::min(width, static_cast<std::size_t>(std::ceil(row.end / axis * double(width)))));
    std::string bar(width, ' ');
    std::fill(bar.begin() + static_cast<long>(from), bar.begin() + static_cast<long>(to),
              row.all_ok ? '#' : 'x');
    out << row.label << std::string(label_width - row.label.size(), ' ') << " |" << bar << "| "
        << fixed(row.start, 2) << "-" << fixed(row.end, 2) << " s"
        << (row.all_ok ? "" : " (failed)") << "\n";
  }
  std::string right = fixed(wall_seconds, 2) + " s";
  out << std::string(label_width, ' ') << "  0 s"
      << std::string(width > right.size() + 3 ? width - right.size() - 3 : 1, ' ') << right << "\n";
  return out.str();
}

std::string chrome_trace(const std::string& stage, const std::vector<RequestResult>& results) {
  // Trace-event format: "X" events are spans (ts and dur in microseconds); "M" events
  // name the tracks. One track (tid) per request, in sending order.
  std::ostringstream out;
  out << "{\"displayTimeUnit\": \"ms\", \"traceEvents\": [";
  out << "{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": 1, \"args\": {\"name\": "
      << json_string(stage) << "}}";
  auto span = [&](const RequestResult& result, const char* name, double from, double to) {
    if (from < 0 || to < from) return;
    out << ", {\"name\": \"" << name << "\", \"ph\": \"X\", \"pid\": 1, \"tid\": " << result.id
        << ", \"ts\": " << fixed(from * 1e6, 0) << ", \"dur\": " << fixed((to - from) * 1e6, 0)
        << "}";
  };
  for (const RequestResult* result : in_sending_order(results)) {
    if (!result->started) continue;
    out << ", {\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": 1, \"tid\": " << result->id
        << ", \"args\": {\"name\": \"Request " << result->id << "\"}}";
    out << ", {\"name\": \"thread_sort_index\", \"ph\": \"M\", \"pid\": 1, \"tid\": " << result->id
        << ", \"args\": {\"sort_index\": " << results.size() - static_cast<std::size_t>(result->id)
        << "}}";
    // The phases the stage marked; what is not marked is folded into its neighbour.
    double connected = result->connected >= 0 ? result->connected : result->start;
    double sent = result->sent >= 0 ? result->sent : connected;
    double first_byte = result->first_byte >= 0 ? result->first_byte : result->end;
    span(*result, "connect", result->start, connected);
    span(*result, "send", connected, sent);
    span(*result, result->ok ? "wait" : "wait (failed)", sent, first_byte);
    span(*result, "read", first_byte, result->end);
  }
  out << "]}";
  return out.str();
}

std::string json_report(const std::string& stage, const ClientOptions& options,
                        const std::vector<RequestResult>& results, double wall_seconds) {
  std::size_t ok =
      std::count_if(results.begin(), results.end(), [](const auto& r) { return r.ok; });
  std::ostringstream out;
  out << "{\"stage\": " << json_string(stage) << ", \"requests\": " << results.size()
      << ", \"ok\": " << ok << ", \"failed\": " << results.size() - ok
      << ", \"wall_seconds\": " << fixed(wall_seconds, 3)
      << ", \"host\": " << json_string(options.host) << ", \"port\": " << options.port
      << ", \"results\": [";
  bool first = true;
  for (const RequestResult* result : in_sending_order(results)) {
    out << (first ? "" : ", ") << "{\"id\": " << result->id
        << ", \"ok\": " << (result->ok ? "true" : "false")
        << ", \"response\": " << (result->ok ? json_string(result->response) : "null")
        << ", \"start\": " << fixed(result->start, 3) << ", \"end\": " << fixed(result->end, 3)
        << ", \"error\": " << (result->ok ? "null" : json_string(result->error)) << "}";
    first = false;
  }
  out << "]}";
  return out.str();
}

}  // namespace common
