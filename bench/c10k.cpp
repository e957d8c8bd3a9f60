// c10k.cpp: N concurrent requests (1,000 and 10,000) against a slow_server that answers
// each after 1 s, for every client stage, for a thread per request, and for Python.
//
// Every client is the real binary, run as a child process against a fresh slow_server
// child (--port 0 --delay 1). The kernel measures what the client cost when we reap it
// (wait4): CPU time (user + system) and peak resident memory; the server's CPU time is
// measured the same way when it is stopped. The selector backends are then compared:
// poll and select hand the kernel the whole list of sockets on every call, epoll does
// not; and select cannot watch a descriptor >= FD_SETSIZE at all.
// Stage 5 (io_uring) is set beside stage 4 (epoll): CPU, and system calls per request
// counted with strace -f -c where strace is installed (docs/06-io-uring.md).
// Read docs/05-road-to-a-million.md for what the figures teach.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "bench/machine.hpp"
#include "bench/python_anchor.hpp"
#include "bench/report.hpp"
#include "common/child_process.hpp"
#include "common/net.hpp"
#include "common/selector.hpp"

namespace {

struct Client {
  std::string name;                  // "stage4_coroutines", "Python 3.11 asyncio"
  std::string kind;                  // "C++" or "Python"
  std::vector<std::string> command;  // the program and its own options
  bool has_selector = false;         // takes --selector
};

// The client binaries, in the order of the road (their paths come from bench/CMakeLists.txt).
// A new stage is one more line here and one more name in that CMake list; the tables, the
// selector comparison and results.json take every client in this list.
std::vector<Client> client_binaries() {
  std::vector<Client> clients{
      {"stage0_blocking --threads", "C++", {AIO_PATH_stage0_blocking, "--threads"}},
      {"stage1_callbacks", "C++", {AIO_PATH_stage1_callbacks}, true},
      {"stage2_state_machine", "C++", {AIO_PATH_stage2_state_machine}, true},
      {"stage3_generators", "C++", {AIO_PATH_stage3_generators}, true},
      {"stage4_coroutines", "C++", {AIO_PATH_stage4_coroutines}, true}};
#ifdef AIO_PATH_stage5_io_uring  // built where liburing is; no --selector: its wait is the ring
  clients.push_back({"stage5_io_uring", "C++", {AIO_PATH_stage5_io_uring}});
#endif
  return clients;
}

struct Settings {
  double delay = 1.0;
  double timeout = 10.0;
  std::string server = AIO_PATH_slow_server;
};

// One client run: what it reported (--json) and what the kernel measured.
struct C10kRun {
  std::string client;
  std::string kind;
  std::string selector;  // "" for the client's default
  int requests = 0;
  bool reported = false;  // it printed its JSON report
  int ok = 0;
  double wall_seconds = 0;
  double user_seconds = 0;    // CPU time in the program itself
  double system_seconds = 0;  // and in the kernel on its behalf (the TCP stack, epoll...)
  long peak_rss_bytes = 0;
  double server_cpu_seconds = 0;  // the other side of the same connections
  long listen_overflows = -1;     // SYNs dropped meanwhile, machine-wide (see machine.hpp)
  std::string problem;            // why requests failed, or why it did not run

  double cpu_seconds() const { return user_seconds + system_seconds; }
};

// A fresh slow_server child on a free port, stopped when this goes out of scope.
class ServerProcess {
 public:
  ServerProcess(const Settings& settings)
      : process_({settings.server, "--host", "127.0.0.1", "--port", "0", "--delay",
                  std::to_string(settings.delay)}) {
    // "listening on 127.0.0.1:41234": the port is after the last ':'.
    auto line = process_.read_line(common::Seconds(10));
    if (!line || line->rfind("listening on ", 0) != 0)
      throw std::runtime_error("slow_server did not say where it listens");
    port_ = line->substr(line->rfind(':') + 1);
  }
  const std::string& port() const { return port_; }
  // Stops it (SIGTERM) and returns what it cost.
  common::ChildResult stop() { return process_.stop(); }

 private:
  common::Child process_;
  std::string port_;
};

// The client's command line: N requests at once to the server on `port`, a JSON report.
std::vector<std::string> client_command(const Client& client, const std::string& port, int requests,
                                        const Settings& settings) {
  std::vector<std::string> command = client.command;
  command.insert(command.end(),
                 {"--host", "127.0.0.1", "--port", port, "--requests", std::to_string(requests),
                  "--timeout", std::to_string(settings.timeout), "--quiet", "--json"});
  return command;
}

// "9,000 failed, e.g. Request 12: timed out after 10 s"
std::string failure_summary(const bench::Json& report) {
  int failed = report.at("failed").get<int>();
  for (const auto& result : report.at("results")) {
    if (!result.at("ok").get<bool>()) {
      return bench::format_count(failed) + " failed, e.g. Request " +
             std::to_string(result.at("id").get<int>()) + ": " +
             bench::get_or(result, "error", std::string());
    }
  }
  return bench::format_count(failed) + " failed";
}

C10kRun run_client(const Client& client, int requests, const std::string& selector,
                   const Settings& settings) {
  C10kRun run;
  run.client = client.name;
  run.kind = client.kind;
  run.selector = selector;
  run.requests = requests;
  std::cerr << "  " << client.name << (selector.empty() ? "" : " --selector " + selector)
            << ", N = " << bench::format_count(requests) << "..." << std::flush;
  try {
    // [docs:bench-c10k-run]
    ServerProcess server(settings);  // a fresh slow_server: --port 0 --delay 1
    std::vector<std::string> command = client_command(client, server.port(), requests, settings);
    if (!selector.empty()) command.insert(command.end(), {"--selector", selector});

    long overflows_before = bench::listen_overflows();
    common::ChildResult result =
        common::run_child(command, common::Seconds(settings.delay + settings.timeout + 60));
    if (overflows_before >= 0) run.listen_overflows = bench::listen_overflows() - overflows_before;
    run.user_seconds = result.user_seconds;  // from wait4's rusage
    run.system_seconds = result.system_seconds;
    run.server_cpu_seconds = server.stop().cpu_seconds();
    run.peak_rss_bytes = result.peak_rss_bytes;
    // [/docs]
    run.wall_seconds = result.wall_seconds;
    try {
      bench::Json report = bench::Json::parse(result.out);
      run.reported = true;
      run.ok = report.at("ok").get<int>();
      run.wall_seconds = report.at("wall_seconds").get<double>();  // its clock, without startup
      if (run.ok < requests) run.problem = failure_summary(report);
    } catch (const bench::Json::exception&) {  // no report: it refused, or crashed
      std::string said = bench::last_line(result.err);
      run.problem = said.empty() ? result.how_it_ended() : said;
    }
  } catch (const std::exception& error) {
    run.problem = error.what();
  }
  std::cerr << " " << (run.problem.empty() ? bench::format_seconds(run.wall_seconds) : run.problem)
            << "\n";
  return run;
}

// System calls per request of `client` for N requests, counted by strace -f -c on a run of
// its own (strace slows the run down; its CPU and wall are not used). -1 and `why` when it
// cannot be counted. Startup's few hundred calls are counted too: noise at N = 10,000.
double system_calls_per_request(const Client& client, int requests, const Settings& settings,
                                std::string& why) {
  char path[] = "/tmp/c10k-strace.XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return why = "not measured: no temporary file", -1;
  ::close(fd);
  double per_request = -1;
  try {
    ServerProcess server(settings);
    std::vector<std::string> command{"strace", "-f", "-c", "-o", path};
    for (std::string& word : client_command(client, server.port(), requests, settings))
      command.push_back(std::move(word));
    common::ChildResult traced =
        common::run_child(command, common::Seconds(settings.delay + settings.timeout + 120));
    if (traced.exit_code == 127) throw std::runtime_error(traced.err);  // "cannot start strace..."
    // The summary's last line: "100.00  0.508  1  123456  10001 total" (calls, 4th column).
    std::ifstream summary(path);
    std::string line, total;
    while (std::getline(summary, line))
      if (line.ends_with(" total")) total = line;
    std::istringstream words(total);
    std::string percent, seconds, per_call;
    long calls = 0;
    if (words >> percent >> seconds >> per_call >> calls)
      per_request = double(calls) / requests;
    else
      why = "not measured: strace printed no total";
  } catch (const std::runtime_error& error) {  // "cannot start strace: No such file..."
    why = std::string(error.what()).find("strace") != std::string::npos
              ? "not measured: strace missing"
              : std::string("not measured: ") + error.what();
  }
  ::unlink(path);
  return per_request;
}

// Rows: client, N, ok, wall, CPU, peak RSS, server CPU; a problem goes into a numbered note.
std::string runs_table(const std::vector<C10kRun>& runs, bool with_selector) {
  std::vector<std::string> headers{"client"};
  if (with_selector) headers.push_back("selector");
  headers.insert(headers.end(),
                 {"N", "ok", "wall", "CPU user + sys", "peak RSS", "server CPU", "SYNs dropped"});
  bench::Table table(headers);
  for (const C10kRun& run : runs) {
    std::vector<std::string> cells{run.client};
    if (with_selector) cells.push_back(run.selector.empty() ? "default" : run.selector);
    cells.push_back(bench::format_count(run.requests));
    if (!run.reported) {
      cells.push_back("did not run " +
                      table.note(run.client + (with_selector ? " --selector " + run.selector : "") +
                                 ", N = " + bench::format_count(run.requests) + ": " +
                                 run.problem));
      table.add_row(cells);
      continue;
    }
    std::string ok = bench::format_count(run.ok);
    if (!run.problem.empty()) ok += " " + table.note(run.client + ": " + run.problem);
    std::string cpu = bench::fixed(run.user_seconds, 3) + " + " +  // "0.062 + 0.312 s"
                      bench::format_seconds(run.system_seconds);
    cells.insert(cells.end(),
                 {ok, bench::format_seconds(run.wall_seconds), cpu,
                  bench::format_bytes(static_cast<double>(run.peak_rss_bytes)),
                  bench::format_seconds(run.server_cpu_seconds),
                  run.listen_overflows < 0 ? "-" : bench::format_count(run.listen_overflows)});
    table.add_row(cells);
  }
  return table.str();
}

// The run with N = 10,000 and the default selector of the client whose name has `part`.
const C10kRun* find(const std::vector<C10kRun>& runs, const std::string& part) {
  auto found = std::find_if(runs.begin(), runs.end(), [&](const C10kRun& run) {
    return run.requests == 10'000 && run.selector.empty() &&
           run.client.find(part) != std::string::npos;
  });
  return found == runs.end() ? nullptr : &*found;
}

// Stage 5 against stage 4 at N = 10,000: all answered, CPU at most stage 4's, and system
// calls per request at most a third of stage 4's (counted here, with strace).
void add_stage5_targets(const std::vector<C10kRun>& runs, const std::vector<Client>& clients,
                        const Settings& settings, std::vector<bench::Target>& targets) {
  const C10kRun* stage4 = find(runs, "stage4_coroutines");
  const C10kRun* stage5 = find(runs, "stage5_io_uring");
  if (!stage5) return;  // not in this build (no liburing), or not asked for
  const bool measured = stage5->reported && stage4 && stage4->reported;
  targets.push_back({"stage 5, N = 10,000: all ok",
                     stage5->reported ? bench::format_count(stage5->ok) + " ok" : stage5->problem,
                     "10,000 ok", stage5->reported && stage5->ok == 10'000});
  targets.push_back(
      {"stage 5, N = 10,000: CPU at most stage 4's",
       stage5->reported ? bench::format_seconds(stage5->cpu_seconds()) : "not measured",
       "<= " + (measured ? bench::format_seconds(stage4->cpu_seconds()) : "stage 4's"),
       measured && stage5->cpu_seconds() <= stage4->cpu_seconds()});
  std::string why;  // set by the first count that fails: the second is not tried then
  auto count = [&](const std::string& name) {
    for (const Client& client : clients)
      if (client.name == name && why.empty())
        return system_calls_per_request(client, 10'000, settings, why);
    return -1.0;
  };
  const double calls[2] = {count("stage4_coroutines"), count("stage5_io_uring")};
  const bool counted = why.empty() && calls[0] > 0 && calls[1] >= 0;
  std::string figure = bench::fixed(calls[1], 2) + " per request";
  std::string goal =
      "<= " + bench::fixed(calls[0] / 3, 2) + " (stage 4: " + bench::fixed(calls[0], 2) + ", / 3)";
  targets.push_back({"stage 5, N = 10,000: system calls", counted ? figure : why,
                     counted ? goal : "<= stage 4's / 3", counted && calls[1] <= calls[0] / 3});
}

std::vector<bench::Target> check_targets(const std::vector<C10kRun>& runs) {
  std::vector<bench::Target> targets;
  const C10kRun* stage4 = find(runs, "stage4_coroutines");
  bool measured = stage4 && stage4->reported;
  targets.push_back({"stage 4, N = 10,000: all ok",
                     measured ? bench::format_count(stage4->ok) + " ok" : "not measured",
                     "10,000 ok", measured && stage4->ok == 10'000});
  targets.push_back({"stage 4, N = 10,000: wall",
                     measured ? bench::format_seconds(stage4->wall_seconds) : "not measured",
                     "<= 1.400 s", measured && stage4->wall_seconds <= 1.4});
  for (const char* python : {"asyncio", "uvloop"}) {
    const C10kRun* other = find(runs, python);  // "Python 3.11 asyncio"
    bool both = measured && other && other->reported;
    targets.push_back({std::string("stage 4, N = 10,000: CPU below ") + python + "'s",
                       measured ? bench::format_seconds(stage4->cpu_seconds()) : "not measured",
                       "< " + (both ? bench::format_seconds(other->cpu_seconds())
                                    : std::string(python) + " (not measured)"),
                       both && stage4->cpu_seconds() < other->cpu_seconds()});
  }
  return targets;
}

bench::Json runs_json(const std::vector<C10kRun>& runs) {
  auto text_or_null = [](const std::string& text) {
    return text.empty() ? nullptr : bench::Json(text);
  };
  bench::Json array = bench::Json::array();
  for (const C10kRun& run : runs) {
    array.push_back({{"client", run.client},
                     {"kind", run.kind},
                     {"selector", text_or_null(run.selector)},
                     {"requests", run.requests},
                     {"reported", run.reported},
                     {"ok", run.ok},
                     {"wall_seconds", run.wall_seconds},
                     {"cpu_seconds", run.cpu_seconds()},
                     {"user_seconds", run.user_seconds},
                     {"system_seconds", run.system_seconds},
                     {"peak_rss_bytes", run.peak_rss_bytes},
                     {"server_cpu_seconds", run.server_cpu_seconds},
                     {"listen_overflows", run.listen_overflows},
                     {"problem", text_or_null(run.problem)}});
  }
  return array;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"N concurrent requests against slow_server, for every client", "c10k"};
  Settings settings;
  std::vector<int> request_counts{1'000, 10'000};
  int selector_requests = 1'000;
  int selector_large = 10'000;
  std::vector<std::string> only;
  std::string results;
  bench::PythonOptions python;
  app.add_option("--requests", request_counts, "The numbers of concurrent requests N")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--selector-requests", selector_requests,
                 "N for comparing epoll, poll and select on stages 1-4 (0: skip)")
      ->capture_default_str();
  app.add_option("--selector-large", selector_large,
                 "N for poll and select on stages 1-4, past FD_SETSIZE (0: skip)")
      ->capture_default_str();
  app.add_option("--delay", settings.delay, "The server's delay, seconds")->capture_default_str();
  app.add_option("--timeout", settings.timeout, "Each request's --timeout, seconds")
      ->capture_default_str();
  app.add_option("--clients", only, "Only the clients whose names start with these");
  app.add_option("--server", settings.server, "The slow_server binary")->capture_default_str();
  bench::add_results_option(app, results, "c10k");
  bench::add_python_options(app, python);
  CLI11_PARSE(app, argc, argv);

  bench::Machine machine = bench::read_machine();
  // 10,000 connections are 10,000 descriptors in the client (and as many in the server):
  // children inherit the limit we raise here.
  rlim_t open_files = common::raise_open_file_limit();
  std::cout << bench::header("c10k: N concurrent requests, server delay " +
                                 bench::format_seconds(settings.delay),
                             machine)
            << "open files per process: " << open_files << "\n"
            << std::flush;

  std::vector<Client> clients = client_binaries();
  std::vector<std::string> notes;
  for (const bench::PythonEngine& engine : bench::find_python_engines(python, notes))
    clients.push_back(
        {engine.name, "Python", bench::python_command(python, engine, "c10k_client.py", {})});
  auto wanted = [&](const Client& client) {
    return only.empty() || std::any_of(only.begin(), only.end(), [&](const std::string& prefix) {
             return client.name.rfind(prefix, 0) == 0;
           });
  };

  std::vector<C10kRun> runs;
  for (int requests : request_counts)
    for (const Client& client : clients)
      if (wanted(client)) runs.push_back(run_client(client, requests, "", settings));

  std::vector<C10kRun> selector_runs;
  for (const Client& client : clients) {
    if (!client.has_selector || !wanted(client)) continue;
    using common::SelectorKind;
    for (SelectorKind kind : {SelectorKind::epoll, SelectorKind::poll, SelectorKind::select})
      if (selector_requests > 0 && common::selector_available(kind))
        selector_runs.push_back(
            run_client(client, selector_requests, std::string(common::to_string(kind)), settings));
    if (selector_large > 0)
      for (const char* selector : {"poll", "select"})
        selector_runs.push_back(run_client(client, selector_large, selector, settings));
  }

  std::cout << "\nevery client, its default selector:\n" << runs_table(runs, false);
  std::cout
      << "  (SYNs dropped: TcpExt ListenOverflows while the client ran, machine-wide: a full\n"
         "   accept queue dropped a connection's SYN, and TCP retried it 1 s later)\n";
  for (const std::string& note : notes) std::cout << "  " << note << "\n";
  if (!selector_runs.empty())
    std::cout << "\nthe selector backends:\n" << runs_table(selector_runs, true);

  std::vector<bench::Target> targets;
  bool full_run = settings.delay == 1.0 && std::find(request_counts.begin(), request_counts.end(),
                                                     10'000) != request_counts.end();
  if (full_run) {
    targets = check_targets(runs);
    add_stage5_targets(runs, clients, settings, targets);
    std::cout << "\ntargets:\n" << bench::format_targets(targets);
  }

  bench::save_results(results, "c10k",
                      {{"delay_seconds", settings.delay},
                       {"load_average", machine.load_average},
                       {"runs", runs_json(runs)},
                       {"selector_runs", runs_json(selector_runs)},
                       {"targets", bench::targets_json(targets)}},
                      machine);
  return 0;
}
