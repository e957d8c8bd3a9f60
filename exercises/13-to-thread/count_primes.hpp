// exercises/13-to-thread/count_primes.hpp -- Exercise 13 (stage 4, the asyncio toolkit):
// CPU-bound work without stalling the loop.
//
// The task is docs/exercises/13-to-thread.md. count_primes() is the work, given: a third of
// a second of arithmetic. As given, count_primes_off_the_loop() runs it in the coroutine,
// on the loop's thread, so every other task stops until it is done, and a timeout cannot
// interrupt it: the check fails. Move it to a thread with stage 4's to_thread
// (stage4_coroutines/extras/to_thread.hpp). Check your work:
// bash scripts/exercise.sh 13-to-thread
#pragma once

#include <stop_token>

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
  (void)loop;  // TODO(exercise 13): run the counting on a thread, not in this step
  co_return count_primes(below);
}

}  // namespace exercises
