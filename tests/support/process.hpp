// process.hpp: start a program as a user would (posix_spawn), its stdout and stderr in
// pipes and its stdin on /dev/null, and look at what it printed and how it ended.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/fd.hpp"

namespace test_support {

struct Finished {
  int exit_code = -1;  // the exit status, or 128 + the signal that ended it
  bool timed_out = false;
  std::string out, err;
};

class Process {
 public:
  // Starts argv[0] (a path) with the arguments argv[1...]. Throws if it cannot.
  explicit Process(const std::vector<std::string>& argv);
  // A process still running is killed (SIGKILL) and reaped.
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // The next line on its stdout (without '\n'), or nullopt after `timeout` or at EOF.
  std::optional<std::string> read_line(common::Seconds timeout);
  void send_signal(int signal);
  // Reads both pipes to their end and waits for the exit, for at most `timeout`
  // (then kills it and says so). `out` holds all of stdout, lines read before included.
  Finished finish(common::Seconds timeout);

 private:
  // Reads what is there within `timeout`; false when nothing more can come.
  bool read_some(common::TimePoint deadline);

  pid_t pid_ = -1;
  common::Fd out_, err_;
  std::string out_text_, err_text_;
  std::size_t lines_read_ = 0;  // out_text_[0, lines_read_) was handed out by read_line
};

// Runs a program to its end (at most `timeout`).
Finished run(const std::vector<std::string>& argv, common::Seconds timeout = common::Seconds(60));

}  // namespace test_support
