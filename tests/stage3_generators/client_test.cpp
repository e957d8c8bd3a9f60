// client_test.cpp: what only stage 3's client has, beyond the contract every client keeps
// (tests/client_contract): --trace-loop.
#include <doctest/doctest.h>

#include <algorithm>

#include <sstream>
#include <string>

#include "stage3_generators/client.hpp"
#include "stage3_generators/extras/trace.hpp"
#include "tests/support/client_contract.hpp"
#include "tests/support/server_thread.hpp"
#include "tests/support/timing.hpp"

TEST_CASE("--trace-loop shows each request's steps, yields, resolved futures and wake-ups" *
          test_support::timing) {
  using namespace client_contract;
  test_support::ServerThread server(server_options());
  std::ostringstream trace;
  auto run = test_support::run_client(
      "stage3_generators", test_support::client_options(server.port(), 3),
      [&](const common::ClientOptions& options, common::RunReport& report) {
        stage3::extras::TraceWriter writer(trace);
        stage3::run(options, report, &writer);
      });
  CHECK(run.exit_code == 0);
  CHECK(test_support::all_match_their_ids(run.results));
  const std::string text = trace.str();
  for (int id = 0; id < 3; ++id) {
    const std::string request = "request " + std::to_string(id);
    for (const std::string& line :
         {"step     " + request, "yield    " + request + " waits for connect",
          "yield    " + request + " waits for send", "yield    " + request + " waits for recv",
          "resolved recv -> " + request + " is ready", "return   " + request + " is done"}) {
      CAPTURE(line);
      CHECK(text.find(line) != std::string::npos);
    }
  }
  // The one long wait: the loop blocks in select for about the server's delay (0.2 s, or
  // a little more on a busy machine).
  double longest_wait = 0;
  const std::string woke = "select   woke after ";
  for (auto at = text.find(woke); at != std::string::npos; at = text.find(woke, at + 1)) {
    longest_wait = std::max(longest_wait, std::stod(text.substr(at + woke.size())));
  }
  CHECK(longest_wait >= 0.18);
}
