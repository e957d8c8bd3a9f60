// latency.cpp: what one operation costs on this machine, from a function call to a loopback
// TCP round trip and a new thread: the latency table of docs/00b-foundations.md, measured
// here rather than quoted from somebody else's machine.
//
// Each operation runs in batches of many; each batch is timed with steady_clock and divided
// by its size. The table gives the median batch and the spread from the 10th to the 90th
// percentile: a quiet machine gives a narrow spread, a busy one a wide one.
//
// The rows with a second thread keep both threads on one core. Left to the scheduler, a new
// or woken thread goes to an idle core if there is one, and then the figure is mostly the
// cost of waking that core: on the 2-core virtual machine of docs/00b-foundations.md, 31-37 us
// to create and join a thread instead of 8 us, however quiet the machine.
#include <CLI/CLI.hpp>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <coroutine>
#include <cstdio>
#include <exception>
#include <functional>
#include <iostream>
#include <memory>
#include <thread>

#include "bench/machine.hpp"
#include "bench/report.hpp"
#include "common/net.hpp"
#include "stage4_coroutines/event_loop.hpp"

namespace {

using common::Fd;

// A function the compiler may not inline nor skip: each call is a real call and return.
__attribute__((noinline)) long add_one(long x) {
  asm volatile("");
  return x + 1;
}

// The smallest coroutine: each resume() runs it from one co_await to the next.
struct Ticker {
  struct promise_type {
    Ticker get_return_object() {
      return {std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
};
Ticker ticker(long& ticks) {
  for (;;) {
    ++ticks;
    co_await std::suspend_always{};
  }
}

// Keeps the calling thread on one CPU while it lives (then where it was allowed before).
class PinnedTo {
 public:
  explicit PinnedTo(int cpu) {
    ::pthread_getaffinity_np(::pthread_self(), sizeof before_, &before_);
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    ::pthread_setaffinity_np(::pthread_self(), sizeof one, &one);
  }
  ~PinnedTo() { ::pthread_setaffinity_np(::pthread_self(), sizeof before_, &before_); }

 private:
  cpu_set_t before_;
};

// Two threads on one core pass a byte back and forth: this one writes it to `ping` and
// blocks reading `pong`; the echo thread, woken, reads it from `ping_end` and writes it
// back to `pong_end`. A round trip is four system calls and two context switches.
struct PingPong {
  Fd ping, pong, ping_end, pong_end;  // a socket: `pong` and `pong_end` stay empty
  int cpu = ::sched_getcpu();
  std::thread echo;

  void start() {
    int in = ping_end.get(), out = pong_end ? pong_end.get() : in;
    echo = std::thread([in, out, cpu = cpu] {
      PinnedTo pinned(cpu);
      char byte;
      while (::read(in, &byte, 1) == 1 && ::write(out, &byte, 1) == 1) {
      }
    });
  }
  void round_trips(long n) {
    PinnedTo pinned(cpu);
    int out = ping.get(), in = pong ? pong.get() : out;
    char byte = 'x';
    for (long i = 0; i < n; ++i) {
      if (::write(out, &byte, 1) != 1 || ::read(in, &byte, 1) != 1)
        throw std::runtime_error("round trip: " + common::errno_text(errno));
    }
  }
  ~PingPong() {
    ping.reset();  // the echo thread reads end-of-file and ends
    if (echo.joinable()) echo.join();
  }
};

std::shared_ptr<PingPong> pipe_ping_pong() {
  auto pair = std::make_shared<PingPong>();
  int fds[4];
  if (::pipe(fds) != 0 || ::pipe(fds + 2) != 0) throw std::runtime_error("pipe failed");
  pair->ping_end.reset(fds[0]), pair->ping.reset(fds[1]);
  pair->pong.reset(fds[2]), pair->pong_end.reset(fds[3]);
  pair->start();
  return pair;
}

// A TCP connection over 127.0.0.1: this thread holds the client's socket, the echo thread
// the one accept() returned (blocking: accept does not pass O_NONBLOCK on).
std::shared_ptr<PingPong> tcp_ping_pong() {
  auto pair = std::make_shared<PingPong>();
  Fd listener = common::listen_tcp("127.0.0.1", 0, 1);
  pair->ping = common::make_tcp_socket(/*blocking=*/true);
  common::start_connect(pair->ping.get(),
                        common::resolve_address("127.0.0.1", common::local_port(listener.get())));
  pair->ping_end.reset(::accept(listener.get(), nullptr, nullptr));
  if (!pair->ping_end) throw std::runtime_error("accept: " + common::errno_text(errno));
  int yes = 1;  // one byte at a time, sent at once
  ::setsockopt(pair->ping.get(), IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  ::setsockopt(pair->ping_end.get(), IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  pair->start();
  return pair;
}

__attribute__((noinline)) stage4::Task<void> nothing() {
  co_return;
}

stage4::Task<void> yield_times(stage4::EventLoop& loop, long n) {
  for (long i = 0; i < n; ++i) co_await stage4::sleep(loop, std::chrono::seconds(0));
}

struct Operation {
  std::string name;
  std::string how;
  long batch;                     // operations per timed batch
  std::function<void(long)> run;  // runs n of them
};

std::vector<Operation> operations(double scale) {
  auto batch = [scale](long full) { return std::max(1L, static_cast<long>(full * scale)); };
  std::vector<Operation> list;
  list.push_back(
      {"function call", "a call the compiler may not inline", batch(1'000'000), [](long n) {
         long x = 0;
         for (long i = 0; i < n; ++i) x = add_one(x);
       }});
  list.push_back({"coroutine resume", "handle.resume() to its next co_await (a bare coroutine)",
                  batch(1'000'000), [](long n) {
                    long ticks = 0;
                    Ticker t = ticker(ticks);
                    for (long i = 0; i < n; ++i) t.handle.resume();
                    t.handle.destroy();
                  }});
  list.push_back({"coroutine frame", "create and destroy a stage 4 Task, never started",
                  batch(200'000), [](long n) {
                    for (long i = 0; i < n; ++i) stage4::Task<void> task = nothing();
                  }});
  list.push_back(
      {"system call", "syscall(SYS_getppid): into the kernel and back", batch(20'000), [](long n) {
         for (long i = 0; i < n; ++i) ::syscall(SYS_getppid);
       }});
  list.push_back({"a turn of stage 4's loop", "co_await sleep(loop, 0s): select, then resume",
                  batch(20'000), [](long n) {
                    stage4::EventLoop loop;
                    loop.run_until_complete(yield_times(loop, n));
                  }});
  auto pipes = pipe_ping_pong();
  list.push_back({"thread context switch",
                  "pipe ping-pong, two threads on one core: round trip / 2", batch(2'000),
                  [pipes](long n) { pipes->round_trips(std::max(1L, n / 2)); }});
  auto tcp = tcp_ping_pong();
  list.push_back({"loopback TCP round trip", "the same over a TCP connection to 127.0.0.1",
                  batch(2'000), [tcp](long n) { tcp->round_trips(n); }});
  list.push_back({"create a thread",
                  "std::thread running an empty function, then join, on one core", batch(200),
                  [](long n) {
                    PinnedTo pinned(::sched_getcpu());  // and its new threads: see the header
                    for (long i = 0; i < n; ++i) std::thread([] {}).join();
                  }});
  return list;
}

struct Figures {
  double median = 0, low = 0, high = 0;  // nanoseconds per operation
};

Figures measure(const Operation& operation, int batches) {
  operation.run(std::max(1L, operation.batch / 10));  // warm up: caches, first page faults
  std::vector<double> per_operation;
  for (int i = 0; i < batches; ++i) {
    auto start = common::Clock::now();
    operation.run(operation.batch);
    std::chrono::duration<double, std::nano> took = common::Clock::now() - start;
    per_operation.push_back(took.count() / static_cast<double>(operation.batch));
  }
  std::sort(per_operation.begin(), per_operation.end());
  auto at = [&](double fraction) {
    return per_operation[static_cast<std::size_t>(fraction * (per_operation.size() - 1) + 0.5)];
  };
  return {at(0.5), at(0.1), at(0.9)};
}

// "1.3 ns", "84 ns", "5.2 us", "31 us", "1.2 ms": three figures at most.
std::string format_nanoseconds(double ns) {
  const char* unit = "ns";
  if (ns >= 1e6)
    ns /= 1e6, unit = "ms";
  else if (ns >= 1e3)
    ns /= 1e3, unit = "us";
  char text[32];
  std::snprintf(text, sizeof text, ns < 10 ? "%.1f %s" : "%.0f %s", ns, unit);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"What one operation costs on this machine: the latency table of the foundations",
               "latency"};
  app.option_defaults()->always_capture_default();  // --help shows every default
  int batches = 31;
  double scale = 1;
  std::string results;
  app.add_option("--batches", batches, "Timed batches per operation")->check(CLI::Range(3, 1'000));
  app.add_option("--scale", scale, "Operations per batch, as a fraction of the default")
      ->check(CLI::Range(0.001, 100.0));
  bench::add_results_option(app, results, "latency");
  CLI11_PARSE(app, argc, argv);

  bench::Machine machine = bench::read_machine();
  std::cout << bench::header("latency: what one operation costs on this machine", machine)
            << std::flush;
  bench::Table table({"operation", "median", "10-90 %", "how"});
  table.align_left(3);
  bench::Json rows = bench::Json::array();
  for (const Operation& operation : operations(scale)) {
    std::cerr << "  " << operation.name << "..." << std::flush;
    Figures figures = measure(operation, batches);
    std::cerr << " " << format_nanoseconds(figures.median) << "\n";
    table.add_row({operation.name, format_nanoseconds(figures.median),
                   format_nanoseconds(figures.low) + " - " + format_nanoseconds(figures.high),
                   operation.how});
    rows.push_back({{"name", operation.name},
                    {"how", operation.how},
                    {"median_ns", figures.median},
                    {"p10_ns", figures.low},
                    {"p90_ns", figures.high},
                    {"per_batch", operation.batch}});
  }
  std::cout << "\n" << table.str();
  bench::save_results(
      results, "latency",
      {{"batches", batches}, {"load_average", machine.load_average}, {"operations", rows}},
      machine);
  return 0;
}
