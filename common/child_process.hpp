// child_process.hpp: running another program, as a user would, and seeing what it printed,
// how it ended and what it cost. Not part of any client: the benchmarks and the tests use it
// (c10k runs every client and a fresh slow_server for it, the end-to-end tests run the real
// binaries), so it is its own library target beside common, linked by neither stage.
//
// A child's stdout and stderr go to temporary
// files, not pipes: a pipe nobody drains fills up (64 KiB) and blocks the child, which
// would then measure our patience instead of its speed.
//
// When the child is reaped, wait4() hands back its rusage: the CPU time it spent
// (user + system) and its peak resident memory (ru_maxrss), measured by the kernel.
// (That peak is why children are started with fork(), not posix_spawn(): see Child::Child.)
#pragma once

#include <sys/types.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"

namespace common {

struct ChildResult {
  int exit_code = -1;       // -1 when a signal ended it
  int signal = 0;           // the signal that ended it, or 0
  bool timed_out = false;   // we killed it when its time limit passed
  double wall_seconds = 0;  // from start to exit, as we saw it
  double user_seconds = 0;
  double system_seconds = 0;
  long peak_rss_bytes = 0;
  std::string out;  // everything it wrote on stdout
  std::string err;  // and on stderr

  double cpu_seconds() const { return user_seconds + system_seconds; }
  // "exit 1", "killed by signal 9", "killed after the 60 s limit".
  std::string how_it_ended() const;
};

class Child {
 public:
  // Starts argv[0] (a path, or a name looked up in PATH) with stdin from /dev/null.
  // Throws std::runtime_error naming the program when it cannot be started.
  explicit Child(const std::vector<std::string>& argv);
  // A child still running is stopped (SIGTERM, then SIGKILL) and reaped.
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // The next whole line on its stdout (without '\n'), waiting at most `limit`; nullopt if
  // the child exits first or the time passes. ("listening on 127.0.0.1:41234")
  std::optional<std::string> read_line(Seconds limit);
  void send_signal(int signal);
  // Waits until the child exits; past `limit` it is killed (SIGKILL). `out` holds all of
  // stdout, the lines read_line handed out included.
  ChildResult wait(Seconds limit);
  // Asks the child to end (SIGTERM), kills it if it has not after 5 s, reaps it.
  ChildResult stop();

 private:
  pid_t pid_ = -1;
  std::FILE* out_ = nullptr;
  std::FILE* err_ = nullptr;
  TimePoint start_;
  std::size_t lines_read_ = 0;  // stdout's bytes [0, lines_read_) were handed out by read_line
};

// Runs argv to its end (at most `limit`) and returns what it did. A program that
// cannot be started gives exit code 127 and the reason in `err`, as a shell would.
ChildResult run_child(const std::vector<std::string>& argv, Seconds limit = Seconds(60));

}  // namespace common
