// load_check.cpp: slow_server_load_check, which shows the slow server holding 10,000
// connections at once (docs/protocol.md, "Holding 10,000 connections").
//
// It opens N connections (non-blocking, on one common::Selector loop), sends
// `Request <i>\n` on each as soon as it is connected, reads each answer, and checks it
// is `Response to Request <i>`. It prints how many were answered, how many failed,
// how many were open at once, and the median and worst latency from send to answer,
// then PASS (exit 0) when every answer came right and none took longer than
// --max-latency, else FAIL (exit 1).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/cli.hpp"
#include "common/client_errors.hpp"
#include "common/client_options.hpp"
#include "common/clock.hpp"
#include "common/line_framer.hpp"
#include "common/net.hpp"
#include "common/protocol.hpp"
#include "common/selector.hpp"

namespace {

using common::Clock;
using common::Seconds;
using common::TimePoint;

struct CheckOptions {
  std::string host = std::string(common::protocol::default_host);
  std::uint16_t port = common::protocol::default_port;
  int connections = 10000;
  double delay_seconds = 5.0;
  std::optional<double> max_latency_seconds;  // default: delay + 0.25 s
  double timeout_seconds = 30.0;              // for the whole check, past the delay
  int connecting_at_once = 1000;  // keep the server's accept queue (backlog) from overflowing
  common::SelectorKind selector = common::default_selector_kind();
};

enum class Phase { connecting, sending, reading, done };

struct Client {
  int id = 0;
  common::Fd socket;
  Phase phase = Phase::connecting;
  std::string request;
  std::size_t sent = 0;
  common::LineFramer framer{common::client_errors::max_response_bytes};
  bool registered = false;  // with the selector
  TimePoint sent_at;
  double latency = 0;
  bool ok = false;
};

class LoadCheck {
 public:
  explicit LoadCheck(const CheckOptions& options)
      : options_(options),
        address_(common::resolve_address(options.host, options.port)),
        selector_(common::make_selector(options.selector)),
        clients_(static_cast<std::size_t>(options.connections)) {}

  int run();

 private:
  void start_next_connects();
  void on_event(Client& client, std::uint32_t events);
  void on_connected(Client& client);
  void send_request(Client& client);
  void read_answer(Client& client);
  void watch(Client& client, std::uint32_t events);
  void finish(Client& client, bool ok, const std::string& error = {});
  int report(double wall_seconds);

  CheckOptions options_;
  common::Address address_;
  std::unique_ptr<common::Selector> selector_;
  std::vector<Client> clients_;
  std::size_t next_to_start_ = 0;
  int connecting_ = 0;
  std::size_t open_ = 0, peak_open_ = 0;  // connections not done yet, and their peak
  std::size_t finished_ = 0;
  std::size_t failed_ = 0, mismatched_ = 0;
  std::map<std::string, int> errors_;  // error message -> count, to print a few
  std::vector<char> buffer_ = std::vector<char>(4096);
};

int LoadCheck::run() {
  const TimePoint start = Clock::now();
  const TimePoint give_up = start + std::chrono::duration_cast<Clock::duration>(
                                        Seconds(options_.delay_seconds + options_.timeout_seconds));
  start_next_connects();
  while (finished_ < clients_.size()) {
    const TimePoint now = Clock::now();
    if (now >= give_up) break;
    for (const common::SelectorEvent& event : selector_->select(give_up - now))
      on_event(*static_cast<Client*>(event.data), event.events);
    start_next_connects();
  }
  for (Client& client : clients_) {
    if (client.phase != Phase::done) finish(client, false, "no answer before the check's timeout");
  }
  return report(common::Seconds(Clock::now() - start).count());
}

void LoadCheck::start_next_connects() {
  while (connecting_ < options_.connecting_at_once && next_to_start_ < clients_.size()) {
    Client& client = clients_[next_to_start_];
    client.id = static_cast<int>(next_to_start_++);
    client.request = common::protocol::request_line(client.id);
    try {
      client.socket = common::make_tcp_socket();
      ++open_;
      peak_open_ = std::max(peak_open_, open_);
      if (common::start_connect(client.socket.get(), address_) ==
          common::ConnectStatus::connected) {
        on_connected(client);
      } else {
        ++connecting_;
        watch(client, common::EVENT_WRITE);
      }
    } catch (const std::exception& error) {
      finish(client, false, error.what());
    }
  }
}

void LoadCheck::on_event(Client& client, std::uint32_t events) {
  if (client.phase == Phase::connecting) {
    --connecting_;
    client.phase = Phase::sending;
    if (int error = common::connect_result(client.socket.get()); error != 0)
      return finish(client, false, common::client_errors::connect_failed(address_, error));
    return on_connected(client);
  }
  if (client.phase == Phase::sending && (events & common::EVENT_WRITE)) return send_request(client);
  if (client.phase == Phase::reading && (events & common::EVENT_READ)) return read_answer(client);
}

void LoadCheck::on_connected(Client& client) {
  client.phase = Phase::sending;
  client.sent_at = Clock::now();
  send_request(client);
}

void LoadCheck::send_request(Client& client) {
  while (client.sent < client.request.size()) {
    auto result = common::send_some(client.socket.get(),
                                    std::string_view(client.request).substr(client.sent));
    if (result.status == common::IoStatus::would_block) break;
    if (result.status != common::IoStatus::ok)
      return finish(client, false, common::client_errors::send_failed(address_, result.error));
    client.sent += result.bytes;
  }
  if (client.sent == client.request.size()) client.phase = Phase::reading;
  watch(client, client.phase == Phase::reading ? common::EVENT_READ : common::EVENT_WRITE);
}

void LoadCheck::watch(Client& client, std::uint32_t events) {
  if (client.registered) {
    selector_->modify(client.socket.get(), events, &client);
  } else {
    selector_->register_fd(client.socket.get(), events, &client);
    client.registered = true;
  }
}

void LoadCheck::read_answer(Client& client) {
  auto result = common::recv_some(client.socket.get(), buffer_);
  if (result.status == common::IoStatus::would_block) return;
  if (result.status == common::IoStatus::error)
    return finish(client, false, common::client_errors::recv_failed(address_, result.error));
  if (result.status == common::IoStatus::closed)
    return finish(client, false, common::client_errors::closed_early(address_));
  client.framer.feed(std::string_view(buffer_.data(), result.bytes));
  if (auto line = client.framer.next_line()) {
    client.latency = Seconds(Clock::now() - client.sent_at).count();
    const bool matches =
        *line == common::protocol::response_text(common::protocol::request_text(client.id));
    if (!matches) ++mismatched_;
    return finish(client, matches, matches ? "" : "mismatched answer: " + *line);
  }
  if (client.framer.too_long())
    return finish(client, false,
                  common::client_errors::response_too_long(
                      address_, common::client_errors::max_response_bytes));
}

void LoadCheck::finish(Client& client, bool ok, const std::string& error) {
  if (client.phase == Phase::done) return;
  if (client.phase == Phase::connecting && client.registered) --connecting_;
  if (client.registered) selector_->unregister(client.socket.get());
  client.registered = false;
  // The socket stays open until the check ends: closing 10,000 sockets one by one
  // while answers arrive would delay reading the others and inflate their latency.
  if (client.socket) --open_;
  client.phase = Phase::done;
  client.ok = ok;
  ++finished_;
  if (!ok) {
    ++failed_;
    ++errors_[error];
  }
}

int LoadCheck::report(double wall_seconds) {
  std::vector<double> latencies;
  for (const Client& client : clients_) {
    if (client.ok) latencies.push_back(client.latency);
  }
  std::sort(latencies.begin(), latencies.end());
  const double median = latencies.empty() ? 0 : latencies[latencies.size() / 2];
  const double worst = latencies.empty() ? 0 : latencies.back();
  const double limit = options_.max_latency_seconds.value_or(options_.delay_seconds + 0.25);

  std::printf("connections:    %d to %s (at most %zu waiting for their answer at once)\n",
              options_.connections, address_.to_string().c_str(), peak_open_);
  std::printf("answered:       %zu\n", latencies.size());
  std::printf("failed:         %zu (mismatched answers: %zu)\n", failed_, mismatched_);
  int shown = 0;
  for (const auto& [error, count] : errors_) {
    if (shown++ == 5) break;
    std::printf("  %d x %s\n", count, error.c_str());
  }
  std::printf("latency:        median %.3f s, max %.3f s (send to answer; limit %.3f s)\n", median,
              worst, limit);
  std::printf("wall:           %.3f s\n", wall_seconds);
  const bool pass = failed_ == 0 &&
                    latencies.size() == static_cast<std::size_t>(options_.connections) &&
                    worst <= limit;
  std::printf("%s\n", pass ? "PASS" : "FAIL");
  return pass ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"slow_server_load_check: N connections at once to a slow_server, each answered?"};
  CheckOptions options;
  common::add_server_address_options(app, options.host, options.port);
  app.add_option("--connections", options.connections, "How many connections to open")
      ->capture_default_str()
      ->check(common::integer_validator(1, 1'000'000));
  app.add_option("--delay", options.delay_seconds, "The server's --delay, in seconds")
      ->capture_default_str()
      ->check(common::seconds_validator());
  app.add_option("--max-latency", options.max_latency_seconds,
                 "Worst send-to-answer seconds allowed (default: delay + 0.25)")
      ->check(common::seconds_validator());
  app.add_option("--timeout", options.timeout_seconds, "Give up this many seconds after the delay")
      ->capture_default_str()
      ->check(common::seconds_validator(/*allow_zero=*/false));
  app.add_option("--connecting-at-once", options.connecting_at_once,
                 "Connects in progress at once (the server's accept queue is finite)")
      ->capture_default_str()
      ->check(common::integer_validator(1, 1'000'000));
  common::add_selector_option(app, options.selector);
  if (auto exit_code = common::parse_command_line(app, argc, argv)) return *exit_code;

  const rlim_t limit = common::raise_open_file_limit();
  if (limit < static_cast<rlim_t>(options.connections) + 16) {
    std::fprintf(stderr,
                 "slow_server_load_check: the open-file limit is %llu, too low for %d "
                 "connections; raise it with `ulimit -n`\n",
                 static_cast<unsigned long long>(limit), options.connections);
    return 1;
  }
  try {
    return LoadCheck(options).run();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "slow_server_load_check: error: %s\n", error.what());
    return 1;
  }
}
