// exercises/12-as-completed/show_as_completed.hpp -- Exercise 12 (stage 4, the asyncio
// toolkit): print each answer as it arrives.
//
// The task is docs/exercises/12-as-completed.md. As given, show_as_completed() waits for
// every request with gather() and then shows the answers in the order of the requests:
// the first answer waits for the slowest, and the check fails. Show each one as soon as it
// has arrived, with stage 4's as_completed (stage4_coroutines/extras/task_set.hpp).
// Check your work: bash scripts/exercise.sh 12-as-completed
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/extras/task_set.hpp"
#include "stage4_coroutines/gather.hpp"
#include "stage4_coroutines/task.hpp"

namespace exercises {

// Runs every request at once and calls show() once for each, as soon as it has finished,
// in the order they finish: with its answer, or with "failed: " and its exception's
// what() if it threw. Destroyed before the end (a timeout), it destroys the requests
// still running.
inline stage4::Task<void> show_as_completed(stage4::EventLoop& loop,
                                            std::vector<stage4::Task<std::string>> requests,
                                            std::function<void(const std::string&)> show) {
  // TODO(exercise 12): show each answer as it arrives, not all of them at the end.
  std::vector<std::string> answers = co_await stage4::gather(loop, std::move(requests));
  for (const std::string& answer : answers) show(answer);
}

}  // namespace exercises
