// End-to-end: the binaries' command lines, as a user types them. Integer options take
// decimal digits only, seconds options a finite number up to 1e6 (common/cli.hpp): bad
// input exits 2 before anything runs, with CLI11's message naming the option and value.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/child_process.hpp"
#include "tests/support/client_binaries.hpp"

namespace {

// Runs `argv`, expects exit 2, nothing on stdout, and `option` and 'value' on stderr.
void check_refused(std::vector<std::string> argv, const std::string& option,
                   const std::string& value) {
  argv.push_back(option);
  argv.push_back(value);
  common::ChildResult run = common::run_child(argv, common::Seconds(10));
  CAPTURE(option);
  CAPTURE(value);
  CAPTURE(run.err);
  CHECK(run.exit_code == 2);
  CHECK(run.out.empty());
  CHECK(run.err.find(option) != std::string::npos);
  CHECK(run.err.find("'" + value + "'") != std::string::npos);
}

}  // namespace

TEST_CASE("every client refuses C-literal integers and seconds that are not finite or too big") {
  for (const test_support::ClientBinary& client : test_support::client_binaries()) {
    CAPTURE(client.label);
    std::vector<std::string> argv{client.path};
    argv.insert(argv.end(), client.flags.begin(), client.flags.end());
    check_refused(argv, "--port", "010");     // CLI11 alone: port 8
    check_refused(argv, "--port", "0x1f90");  // CLI11 alone: port 8080
    check_refused(argv, "--requests", "0x10");
    check_refused(argv, "--requests", "1e3");
    check_refused(argv, "--timeout", "nan");
    check_refused(argv, "--timeout", "1e300");
  }
}

#ifdef AIO_STAGE4_COROUTINES
TEST_CASE("stage 4's --sleep and --blocking-sleep refuse NaN, infinity, negatives, past 1e6") {
  for (const char* option : {"--sleep", "--blocking-sleep"}) {
    for (const char* value : {"nan", "inf", "1e300", "1000001", "-1"})
      check_refused({AIO_STAGE4_COROUTINES}, option, value);
  }
}
#endif

TEST_CASE("slow_server refuses the same, for its port and seconds") {
  check_refused({AIO_SLOW_SERVER}, "--port", "010");
  check_refused({AIO_SLOW_SERVER}, "--port", "65536");
  check_refused({AIO_SLOW_SERVER}, "--delay", "nan");
  check_refused({AIO_SLOW_SERVER}, "--idle-timeout", "1e300");
  check_refused({AIO_SLOW_SERVER}, "--drain-timeout", "nan");
  check_refused({AIO_SLOW_SERVER}, "--request-timeout", "-1");
  check_refused({AIO_SLOW_SERVER}, "--max-owed-answers", "0x10");
}
