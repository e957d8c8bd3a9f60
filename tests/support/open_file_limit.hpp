// open_file_limit.hpp: the soft limit on open files raised for one test, then put back.
//
// A test of select's FD_SETSIZE needs a descriptor numbered 1,024 or more, and many
// machines start a process with a soft RLIMIT_NOFILE of exactly 1,024: descriptors 0 to
// 1,023. Skipping the test there would let the guarantee go untested; instead the test
// raises the soft limit to the hard one (what `ulimit -n` may do without root) for its
// duration. The destructor restores the soft limit, so the other tests of the process see
// the limit they started with.
//
//   test_support::RaisedOpenFileLimit open_files;
//   REQUIRE_MESSAGE(open_files.allows(FD_SETSIZE), open_files.why_not(FD_SETSIZE));
#pragma once

#include <sys/resource.h>

#include <string>

#include "common/net.hpp"

namespace test_support {

class RaisedOpenFileLimit {
 public:
  RaisedOpenFileLimit() {
    ::getrlimit(RLIMIT_NOFILE, &saved_);
    limit_ = common::raise_open_file_limit();
  }
  ~RaisedOpenFileLimit() { ::setrlimit(RLIMIT_NOFILE, &saved_); }
  RaisedOpenFileLimit(const RaisedOpenFileLimit&) = delete;
  RaisedOpenFileLimit& operator=(const RaisedOpenFileLimit&) = delete;

  // True when a descriptor numbered `fd` can be opened now.
  bool allows(int fd) const { return static_cast<rlim_t>(fd) < limit_; }

  // Why a test that needs descriptor `fd` cannot run here: the hard limit is too low.
  std::string why_not(int fd) const {
    return "this test needs descriptor " + std::to_string(fd) + ", but the hard limit on open " +
           "files is " + std::to_string(limit_) + ": raise it (ulimit -Hn, as root) to run it";
  }

 private:
  rlimit saved_{};
  rlim_t limit_ = 0;
};

}  // namespace test_support
