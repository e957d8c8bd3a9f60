// docs/exercises/solutions/06-retry-yield-from/retry.hpp -- the reference solution of
// exercise 06 (stage 3): retry, by delegation. SPOILER: try
// docs/exercises/06-retry-yield-from.md first.
//
// The loop a blocking client would write, with two C++ details. The failed attempt is
// caught around the co_yield that delegates to it, where Generator rethrows what the
// sub-generator threw. And the pause cannot be yielded from inside the catch block (the
// language forbids co_yield and co_await in a handler: the exception object lives in the
// handler, and the frame may be suspended and resumed in another call), so the handler
// only decides, and the pause comes after it.
#pragma once

#include <functional>
#include <stdexcept>

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
  if (attempts < 1) throw std::invalid_argument("retry: attempts must be at least 1");
  for (int attempt = 1;; ++attempt) {
    try {
      // The attempt's frame lives in this co_yield expression: when it ends, by a result
      // or by an exception, the attempt's frame is destroyed (its sockets close) before
      // the next line runs.
      co_return co_yield stage3::yield_from(make_attempt());
    } catch (...) {
      if (attempt == attempts) throw;  // the last one: its exception is ours
    }
    co_yield stage3::sleep(loop, pause_seconds);  // out of the handler: see the top
  }
}

}  // namespace exercises
