// bench_smoke_test.cpp: every bench binary, run as scripts/bench.sh runs it but with
// tiny parameters: it exits 0 and prints the rows it should. Nothing is timed.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "bench/report.hpp"
#include "common/child_process.hpp"

namespace {

const common::Seconds limit(120);

std::string temporary_path(const std::string& name) {
  auto directory =
      std::filesystem::temp_directory_path() / ("bench_smoke_" + std::to_string(::getpid()));
  std::filesystem::create_directories(directory);
  return (directory / name).string();
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bench::Json read_json(const std::string& path) {
  return bench::Json::parse(read_text(path));
}

bool has_python() {
  return common::run_child({"python3", "--version"}, limit).exit_code == 0;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("sleep_table: a tiny table with every engine, a capped thread row, and results.json") {
  std::string results = temporary_path("sleep_table.json");
  auto run = common::run_child(
      {AIO_PATH_sleep_table, "--tasks", "1000", "--concurrency", "10", "100", "--sleep-ms", "1",
       "--thread-cap", "50", "--no-python", "--results", results},
      limit);
  CAPTURE(run.out);
  CAPTURE(run.err);
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "ideal (tasks / C x sleep)"));
  CHECK(contains(run.out, "threads (std::thread)"));
  CHECK(contains(run.out, "did not finish [1]"));
  CHECK(contains(run.out, "[1] threads (std::thread) at C = 100: capped at 50 threads"));
  CHECK(contains(run.out, "stage 3 (generators)"));
  CHECK(contains(run.out, "stage 4 (co_await)"));
  auto section = read_json(results)["sleep_table"];
  CHECK(section.at("tasks").get<double>() == 1000);
  CHECK(section.at("engines").size() >= 2);
}

TEST_CASE("sleep_table: the Python anchors' rows, when python3 is here") {
  if (!has_python()) return;
  auto run = common::run_child({AIO_PATH_sleep_table, "--tasks", "100", "--concurrency", "10",
                                "--sleep-ms", "1", "--python", "python3"},
                               limit);
  CAPTURE(run.out);
  CAPTURE(run.err);
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, " asyncio "));
}

TEST_CASE("million: a small crowd of tasks, and why threads cannot take a million") {
  std::string results = temporary_path("million.json");
  auto run = common::run_child({AIO_PATH_million, "--tasks", "10000", "--sleep-ms", "10",
                                "--thread-sample", "50", "--no-python", "--results", results},
                               limit);
  CAPTURE(run.out);
  CAPTURE(run.err);
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "threads (std::thread)"));
  CHECK(contains(run.out, "a thread per task for 10,000 tasks, limit by limit:"));
  CHECK(contains(run.out, "pid_max"));
  CHECK(contains(run.out, "a stage 4 task: one coroutine frame of "));
  auto engines = read_json(results)["million"].at("engines");
  CHECK(engines.size() >= 2);
}

TEST_CASE("c10k: every client answers a few requests, and select refuses past FD_SETSIZE") {
  std::string results = temporary_path("c10k.json");
  auto run = common::run_child(
      {AIO_PATH_c10k, "--requests", "20", "--delay", "0.05", "--selector-requests", "10",
       "--selector-large", "1100", "--clients", "stage", "--no-python", "--results", results},
      limit);
  CAPTURE(run.out);
  CAPTURE(run.err);
  CHECK(run.exit_code == 0);
  auto section = read_json(results)["c10k"];
  for (const auto& client : section.at("runs")) {
    CAPTURE(bench::get_or(client, "client", std::string()));
    CHECK(client.at("ok").get<double>() == 20);
  }
  for (const auto& client : section.at("selector_runs")) {
    CAPTURE(bench::get_or(client, "client", std::string()));
    CAPTURE(bench::get_or(client, "selector", std::string()));
    if (bench::get_or(client, "selector", std::string()) == "select" &&
        client.at("requests").get<double>() == 1100) {
      // The run stops, but still reports (--json): the requests the stop cut short failed.
      CHECK(client.at("ok").get<double>() < client.at("requests").get<double>());
      CHECK(contains(bench::get_or(client, "problem", std::string()), "FD_SETSIZE"));
    } else {
      CHECK(client.at("ok").get<double>() == client.at("requests").get<double>());
    }
  }
}

TEST_CASE("latency: a row per operation, each with a time, in results.json too") {
  std::string results = temporary_path("latency.json");
  auto run = common::run_child(
      {AIO_PATH_latency, "--batches", "3", "--scale", "0.01", "--results", results}, limit);
  CAPTURE(run.out);
  CAPTURE(run.err);
  CHECK(run.exit_code == 0);
  for (const char* row : {"function call", "system call", "coroutine resume",
                          "thread context switch", "loopback TCP round trip", "create a thread"})
    CHECK(contains(run.out, row));
  auto operations = read_json(results)["latency"].at("operations");
  CHECK(operations.size() >= 6);
  for (const auto& operation : operations) CHECK(operation.at("median_ns").get<double>() > 0);
}

TEST_CASE("cpu_bound: every engine gets the sums right, and --debug names the long steps") {
  std::string results = temporary_path("cpu_bound.json");
  // A whole sum below 1,000,000 takes 0.3 ms or more: a slow step at 0.1 ms.
  auto run =
      common::run_child({AIO_PATH_cpu_bound, "--base", "1000000", "--count", "2", "--runs", "1",
                         "--workers", "2", "--slow-step-ms", "0.1", "--results", results},
                        limit);
  CAPTURE(run.out);
  CAPTURE(run.err);
  CHECK(run.exit_code == 0);  // a wrong sum ends it with an error
  CHECK(contains(run.out, "threads (std::thread)"));
  CHECK(contains(run.out, "processes (fork)"));
  auto engines = read_json(results)["cpu_bound"].at("engines");
  CHECK(engines.size() == 5);
  std::string per_number = "a task per number: ";  // "...: 2 warnings, the first:"
  auto at = run.out.find(per_number);
  REQUIRE(at != std::string::npos);
  CHECK(std::stoi(run.out.substr(at + per_number.size())) >= 2);
  CHECK(contains(run.out, " ran for "));
}

TEST_CASE("bench_chart draws what the benchmarks wrote") {
  std::string results = temporary_path("chart.json");
  std::string svg = temporary_path("chart.svg");
  REQUIRE(common::run_child({AIO_PATH_sleep_table, "--tasks", "100", "--concurrency", "10",
                             "--sleep-ms", "1", "--no-python", "--results", results},
                            limit)
              .exit_code == 0);
  auto run = common::run_child({AIO_PATH_bench_chart, "--results", results, "--svg", svg}, limit);
  CAPTURE(run.err);
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "targets met"));
  std::string text = read_text(svg);
  CHECK(text.starts_with("<svg"));
  CHECK(contains(text, "threads (std::thread)"));
}

TEST_CASE("timeline_svg draws two runs on one axis, one bar per request, a bad file fails") {
  // Two tiny runs as a client writes them with --json: 3 requests one after another, and
  // 2 at once (one of them failed).
  std::string sequential = temporary_path("timeline_sequential.json");
  std::string concurrent = temporary_path("timeline_concurrent.json");
  std::ofstream(sequential) << R"({"stage": "stage0_blocking", "wall_seconds": 0.61,
    "results": [{"id": 2, "ok": true, "response": "Response for Request 2", "start": 0.0,
                 "end": 0.2, "error": null},
                {"id": 1, "ok": true, "response": "Response for Request 1", "start": 0.2,
                 "end": 0.4, "error": null},
                {"id": 0, "ok": true, "response": "Response for Request 0", "start": 0.4,
                 "end": 0.6, "error": null}]})";
  std::ofstream(concurrent) << R"({"stage": "stage4_coroutines", "wall_seconds": 0.21,
    "results": [{"id": 1, "ok": true, "response": "Response for Request 1", "start": 0.0,
                 "end": 0.2, "error": null},
                {"id": 0, "ok": false, "response": null, "start": 0.0, "end": 0.2,
                 "error": "connection closed before the answer"}]})";
  std::string svg = temporary_path("timeline.svg");
  auto run = common::run_child({AIO_PATH_timeline_svg, "--run", "one after another=" + sequential,
                                "--run", "all at once=" + concurrent, "--output", svg},
                               limit);
  CAPTURE(run.err);
  CHECK(run.exit_code == 0);
  std::string text = read_text(svg);
  CHECK(text.starts_with("<svg"));
  CHECK(contains(text, "one after another"));
  CHECK(contains(text, "all at once"));
  CHECK(contains(text, "1/2 ok"));
  std::size_t bars = 0;  // the background is <rect width=...>; the bars start with x
  for (auto at = text.find("<rect x="); at != std::string::npos; at = text.find("<rect x=", at + 1))
    ++bars;
  CHECK(bars == 5);

  std::string broken = temporary_path("timeline_broken.json");
  std::ofstream(broken) << "3/3 responses in 0.6 s";  // the text output, not --json
  run = common::run_child({AIO_PATH_timeline_svg, "--run", "one after another=" + sequential,
                           "--run", "broken=" + broken},
                          limit);
  CHECK(run.exit_code == 1);
  CHECK(contains(run.err, "not a client's --json output"));
}
