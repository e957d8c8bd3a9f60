// exercises/06-retry-yield-from/retry.hpp -- Exercise 06 (stage 3): retry, by delegation.
//
// The task is docs/exercises/06-retry-yield-from.md: retry() runs an attempt (a
// generator) by delegating to it, `co_yield stage3::yield_from(...)`, Python's
// `yield from`, and when the attempt throws, pauses and runs a new one, up to `attempts`
// times. As given it makes one attempt only, so the check fails.
// Check your work: bash scripts/exercise.sh 06-retry-yield-from
#pragma once

#include <functional>

#include "stage3_generators/event_loop.hpp"
#include "stage3_generators/future.hpp"
#include "stage3_generators/generator.hpp"

namespace exercises {

template <typename T>
using Attempt = stage3::Generator<stage3::FuturePtr, T>;

// Runs make_attempt()'s generator to its end, delegating to it: the futures it yields go
// to the task driving retry(), its result is retry()'s. If it throws, waits
// `pause_seconds` (stage3::sleep) and runs a new one, up to `attempts` attempts in all;
// the last attempt's exception is retry()'s.
//   std::string answer = co_yield yield_from(retry<std::string>(loop, make_attempt, 3, 0.1));
template <typename T>
stage3::Generator<stage3::FuturePtr, T> retry(stage3::EventLoop& loop,
                                              std::function<Attempt<T>()> make_attempt,
                                              int attempts, double pause_seconds) {
  // TODO(exercise 06): one attempt only, its exception goes straight out. Make it try
  // again; note that a co_yield cannot appear inside a catch block.
  (void)loop;
  (void)attempts;
  (void)pause_seconds;
  co_return co_yield stage3::yield_from(make_attempt());
}

}  // namespace exercises
