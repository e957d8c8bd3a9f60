// docs/exercises/solutions/13-to-thread/count_primes.hpp -- the reference solution of
// exercise 13 (stage 4, the asyncio toolkit): CPU-bound work without stalling the loop
// (docs/exercises/13-to-thread.md).
//
// A coroutine that computes for 0.35 s holds the loop's thread for 0.35 s: no other task,
// timer or socket is looked at (the same stall as a blocking call; --debug reports it).
// to_thread() runs the work on a thread of its own and suspends the coroutine until the
// thread is done; the loop sleeps in select() meanwhile, free for everything else. Python:
//   count = await asyncio.to_thread(count_primes, below)
// (there the GIL lets only one thread run Python code at a time, so pure-Python CPU work
// gains little; C++ threads run on every core.)
#pragma once

#include <stop_token>
#include <utility>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/extras/to_thread.hpp"
#include "stage4_coroutines/task.hpp"

namespace exercises {

// How many primes there are below `below`, by trial division (slow on purpose: 2,000,000
// takes about 0.35 s here). It looks at `stop` every 1,000 numbers, and once a stop has
// been requested it returns at once, with the count so far. You do not need to change it.
inline long long count_primes(long long below, std::stop_token stop = {}) {
  long long count = 0;
  for (long long n = 2; n < below; ++n) {
    if (n % 1000 == 0 && stop.stop_requested()) break;
    bool prime = true;
    for (long long divisor = 2; divisor * divisor <= n; ++divisor) {
      if (n % divisor == 0) {
        prime = false;
        break;
      }
    }
    if (prime) ++count;
  }
  return count;
}

// count_primes(below), while the loop goes on running every other task; destroyed before
// the end (a timeout), it stops the counting soon (within 1,000 numbers), not at its end.
inline stage4::Task<long long> count_primes_off_the_loop(stage4::EventLoop& loop, long long below) {
  // The lambda takes the std::stop_token that to_thread passes when it is given one: if this
  // frame is destroyed (a timeout), to_thread's std::jthread asks the work to stop, then
  // waits for it to return. Without the token it would wait for the whole count, with the
  // loop blocked. `below` is copied into the lambda: the thread reads only its own copy.
  co_return co_await stage4::to_thread(
      loop, [below](std::stop_token stop) { return count_primes(below, std::move(stop)); });
}

}  // namespace exercises
