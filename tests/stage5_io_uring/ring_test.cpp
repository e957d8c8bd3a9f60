// ring_test.cpp: stage 5's Ring: the probe's one line per errno, the Selector calls it
// refuses, and the heart of the chapter: a recv that times out is cancelled before its
// buffer goes away, its late completion is ignored, and the loop goes on (run it under asan).
#include <doctest/doctest.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "stage4_coroutines/wait_for.hpp"
#include "stage5_io_uring/client.hpp"
#include "tests/stage5_io_uring/io_uring_available.hpp"
#include "tests/support/server_thread.hpp"

TEST_CASE("the probe names why io_uring is refused, in one line per cause") {
  using stage5::why_unavailable;
  CHECK(why_unavailable(0, 0).empty());
  CHECK(why_unavailable(ENOSYS, 0).find("ENOSYS: older than 5.1") != std::string::npos);
  CHECK(why_unavailable(EPERM, 0).find("seccomp") != std::string::npos);
  CHECK(why_unavailable(EPERM, 1).find("kernel.io_uring_disabled = 1") != std::string::npos);
  CHECK(why_unavailable(EPERM, 2).find("kernel.io_uring_disabled = 2") != std::string::npos);
  CHECK(why_unavailable(EINVAL, 0).find("Linux 6.0 or newer") != std::string::npos);
  CHECK(why_unavailable(ENOMEM, 0).find(std::strerror(ENOMEM)) != std::string::npos);
  for (int error : {ENOSYS, EPERM, EINVAL, ENOMEM}) {
    const std::string line = why_unavailable(error, 0);
    CHECK(line.starts_with("io_uring unavailable: "));
    CHECK(line.find('\n') == std::string::npos);
  }
  // Here: the other stage 5 tests run, or are skipped for the reason printed now.
  const std::string& why = stage5_test::why_not_io_uring();
  if (!why.empty()) MESSAGE("stage 5 tests skipped: " << why);
  CHECK((why.empty() || why.starts_with("io_uring unavailable: ")));
}

TEST_SUITE_BEGIN("stage5" * stage5_test::unless_io_uring());

TEST_CASE("a Ring is no readiness selector: register_fd, modify and unregister refuse") {
  stage5::Ring ring(8);
  CHECK_THROWS_AS(ring.register_fd(0, common::EVENT_READ, nullptr), std::logic_error);
  CHECK_THROWS_AS(ring.modify(0, common::EVENT_READ, nullptr), std::logic_error);
  CHECK_THROWS_AS(ring.unregister(0), std::logic_error);
  CHECK(ring.size() == 0);
  CHECK(ring.select(std::chrono::milliseconds(1)).empty());  // nothing in flight: a timeout
}

namespace {

using namespace std::chrono_literals;

// make_tcp_request under wait_for: its answer, or "timed out" (the frame destroyed).
stage4::Task<std::string> answer_or_timeout(stage5::EventLoop& loop, const common::Address& address,
                                            int id, stage4::Duration timeout) {
  try {
    co_return co_await stage4::wait_for(loop, stage5::make_tcp_request(loop, address, id), timeout);
  } catch (const common::client_errors::TimeoutError&) {
    co_return "timed out";
  }
}

// [0]: request 1, timed out while its recv is in flight; [1]: request 2, started in the same
// step, so its connect is queued, in the slot request 1's recv freed, before the next select()
// reaps that recv's late completion: only the generation tells the two apart.
stage4::Task<std::vector<std::string>> time_out_then_go_on(stage5::EventLoop& loop,
                                                           const common::Address& address) {
  std::vector<std::string> answers;
  answers.push_back(co_await answer_or_timeout(loop, address, 1, 100ms));
  answers.push_back(co_await stage5::make_tcp_request(loop, address, 2));
  co_return answers;
}

}  // namespace

TEST_CASE("a recv that times out is cancelled, its late completion ignored, and the loop goes on") {
  slow_server::ServerOptions options;
  options.delay_seconds = 0.5;  // request 1 would be answered at 0.5 s, request 2 at 0.6 s
  test_support::ServerThread server(options);
  stage5::EventLoop loop;
  const common::Address address = common::resolve_address("127.0.0.1", server.port());
  const auto answers = loop.run_until_complete(time_out_then_go_on(loop, address));
  CHECK(answers == std::vector<std::string>{"timed out", "Response to Request 2"});
  // The timed-out recv was cancelled while in flight (its buffer was still in a live frame),
  // and the completion the kernel posts for it anyway matched no operation: not resumed.
  CHECK(loop.ring().cancelled() == 1);
  CHECK(loop.ring().ignored_completions() == 1);
  CHECK(loop.ring().size() == 0);  // nothing left in flight
}

TEST_SUITE_END();
