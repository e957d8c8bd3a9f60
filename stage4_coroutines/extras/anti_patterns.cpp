// extras/anti_patterns.cpp: --nested-loop and --race (--lock) (anti_patterns.hpp).
#include "stage4_coroutines/extras/anti_patterns.hpp"

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "common/client_errors.hpp"
#include "stage4_coroutines/client.hpp"
#include "stage4_coroutines/extras/lock.hpp"
#include "stage4_coroutines/gather.hpp"
#include "stage4_coroutines/wait_for.hpp"

namespace stage4 {

namespace {

using namespace std::chrono_literals;

// What the requests of one run share. It lives in the run function, which outlives them.
struct Demo {
  EventLoop& loop;
  const common::Address address;
  const common::ClientOptions& options;
  common::RunReport& report;
};

// [docs:stage4-nested-loop]
// --nested-loop: asyncio.run(make_tcp_request(...)) inside async def. Each request runs on
// a loop of its own, inside a step of the outer loop: it would run to its end while every
// other task waits, one request at a time (stage 0 again). Stage 4 refuses: run_once
// throws std::logic_error when a loop is already running on the thread.
Task<void> request_on_a_loop_of_its_own(const Demo& demo, int id) {
  demo.report.request_started(id);
  EventLoop inner({.selector = demo.options.selector});
  std::string response = inner.run_until_complete(make_tcp_request(inner, demo.address, id));
  demo.report.request_succeeded(id, std::move(response));
  co_return;
}
// [/docs]

// One request with its --timeout, reported as the client reports it: whether it was answered.
Task<bool> answered(const Demo& demo, int id) {
  demo.report.request_started(id);
  try {
    Task<std::string> request = make_tcp_request(demo.loop, demo.address, id);
    std::string response = co_await wait_for(demo.loop, std::move(request), demo.options.timeout());
    demo.report.request_succeeded(id, std::move(response));
    co_return true;
  } catch (...) {  // refused, reset, timed out... (or no one request's fault: rethrown)
    common::client_errors::report_failure(demo.report, id, demo.address);
  }
  co_return false;
}

struct Counter {
  explicit Counter(EventLoop& on) : loop(on), lock(on) {}
  EventLoop& loop;
  int answers = 0;  // the count the requests keep, with a race
  Lock lock;        // what --lock takes around it
};

// [docs:stage4-race]
// --race: each answered request adds one to a shared count. It reads the count, awaits
// (a 10 ms sleep stands for saving it: a file, a database), and writes what it read plus
// one. Requests answered together all read the same count, and each overwrites the others'
// updates: a check-then-act across a co_await races, on one thread.
Task<void> count_answer(Counter& counter) {
  const int seen = counter.answers;
  co_await sleep(counter.loop, 10ms);
  counter.answers = seen + 1;
}

// --race --lock: the same, one request at a time from the read to the write (asyncio:
// `async with lock:`). `held` releases the lock when it goes, however the task ends.
Task<void> count_answer_locked(Counter& counter) {
  Lock::Held held = co_await counter.lock.acquire();
  co_await count_answer(counter);
}
// [/docs]

Task<void> request_and_count(const Demo& demo, Counter& counter, int id, bool with_lock,
                             int& answers) {
  const bool ok = co_await answered(demo, id);
  if (!ok) co_return;
  ++answers;  // in one step, no co_await between the read and the write: no race
  if (with_lock) {
    co_await count_answer_locked(counter);
  } else {
    co_await count_answer(counter);
  }
}

}  // namespace

void run_nested_loops(const common::ClientOptions& options, common::RunReport& report,
                      LoopObserver* observer) {
  EventLoop loop({.selector = options.selector, .observer = observer});
  const Demo demo{loop, options.address(), options, report};
  std::vector<Task<void>> requests;
  for (int id : options.request_ids()) requests.push_back(request_on_a_loop_of_its_own(demo, id));
  loop.run_until_complete(gather(loop, std::move(requests)));
}

RaceCount run_race(const common::ClientOptions& options, common::RunReport& report, bool with_lock,
                   std::ostream& out, LoopObserver* observer) {
  EventLoop loop({.selector = options.selector, .observer = observer});
  const Demo demo{loop, options.address(), options, report};
  Counter counter(loop);
  RaceCount count;
  std::vector<Task<void>> requests;
  for (int id : options.request_ids())
    requests.push_back(request_and_count(demo, counter, id, with_lock, count.answers));
  loop.run_until_complete(gather(loop, std::move(requests)));
  count.counted = counter.answers;
  out << (with_lock ? "--race --lock: " : "--race: ") << count.answers << " answers, counted "
      << count.counted << ": ";
  if (count.counted == count.answers) {
    out << "no update lost\n";
  } else {
    const int lost = count.answers - count.counted;
    out << lost << (lost == 1 ? " update lost\n" : " updates lost\n");
  }
  return count;
}

}  // namespace stage4
