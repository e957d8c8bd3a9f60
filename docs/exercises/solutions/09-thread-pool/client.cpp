// docs/exercises/solutions/09-thread-pool/client.cpp -- the reference solution of
// exercise 09 (stage 0): a bounded thread pool (docs/exercises/09-thread-pool.md).
//
// `workers` threads share one queue of request ids. Each takes the next id under a mutex,
// sends that request (blocking its own thread only) and comes back for more, until the
// queue is empty. 10 requests on 5 workers take 2 delays, with 5 threads instead of 10:
// the pool trades a little time for a fixed cost. Python's concurrent.futures
// ThreadPoolExecutor(max_workers=5) is this, with the queue hidden inside.
#include "client.hpp"  // this directory's: the check builds the solution's copy the same way

#include <algorithm>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "stage0_blocking/client.hpp"

namespace exercises {

namespace {

// One request from start to end, told to the report; an error ends this request only.
// Safe to call from several threads at once: RunReport locks a mutex of its own.
void send_and_report(const common::Address& address, int id, common::Seconds timeout,
                     common::RunReport& report) {
  report.request_started(id);
  try {
    report.request_succeeded(id, stage0::make_tcp_request(address, id, timeout));
  } catch (const std::exception& error) {
    report.request_failed(id, error.what());
  }
}

// The requests not taken yet. Every worker takes from it, so every access holds the
// mutex: without it two workers could take the same id, or pop the same element twice
// (a data race: undefined behaviour, which -fsanitize=thread reports).
class RequestQueue {
 public:
  explicit RequestQueue(const std::vector<int>& ids) : ids_(ids.begin(), ids.end()) {}

  // The next id, or nothing once the queue is empty: then the worker is done. All the
  // work is known before the threads start, so an empty queue stays empty and no
  // condition variable is needed (a queue fed while the workers run would need one).
  std::optional<int> take() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (ids_.empty()) return std::nullopt;
    const int id = ids_.front();
    ids_.pop_front();
    return id;
  }

 private:
  std::mutex mutex_;
  std::deque<int> ids_;
};

}  // namespace

void run_pool(const common::ClientOptions& options, common::RunReport& report,
              std::size_t workers) {
  const common::Address address = options.address();
  const std::vector<int> ids = options.request_ids();
  RequestQueue queue(ids);
  auto worker = [&] {  // the references outlive the threads: they are joined below
    while (std::optional<int> id = queue.take()) {
      send_and_report(address, *id, options.timeout(), report);
    }
  };
  std::vector<std::jthread> pool;
  // No more threads than requests: an idle worker would only cost a stack.
  for (std::size_t i = 0; i < std::min(workers, ids.size()); ++i) pool.emplace_back(worker);
}  // each jthread joins here, when `pool` goes: after the last request has been reported

}  // namespace exercises
