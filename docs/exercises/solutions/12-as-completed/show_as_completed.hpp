// docs/exercises/solutions/12-as-completed/show_as_completed.hpp -- the reference
// solution of exercise 12 (stage 4, the asyncio toolkit): each answer shown as it arrives
// (docs/exercises/12-as-completed.md).
//
// gather() hands back every result at once, in the order of the tasks: right for a
// client that needs them all, wrong for one that could act on each. as_completed() hands
// them back one by one, in the order they finish. Python:
//   for next_done in asyncio.as_completed(requests):
//       try: show(await next_done)
//       except Exception as error: show(f"failed: {error}")
#pragma once

#include <exception>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/extras/task_set.hpp"
#include "stage4_coroutines/task.hpp"

namespace exercises {

// Runs every request at once and calls show() once for each, as soon as it has finished,
// in the order they finish: with its answer, or with "failed: " and its exception's
// what() if it threw. Destroyed before the end (a timeout), it destroys the requests
// still running.
inline stage4::Task<void> show_as_completed(stage4::EventLoop& loop,
                                            std::vector<stage4::Task<std::string>> requests,
                                            std::function<void(const std::string&)> show) {
  // `finishing` lives in this frame and owns every request it has not handed back: if
  // this coroutine is destroyed (wait_for timed out), the frame goes, the set with it,
  // and with the set every request still running. Nothing runs on unowned.
  stage4::TaskSet<std::string> finishing = stage4::as_completed(loop, std::move(requests));
  while (finishing.pending() > 0) {
    try {
      show(co_await finishing.next());  // the next to finish; its exception, rethrown here
    } catch (const std::exception& error) {
      show(std::string("failed: ") + error.what());
    }
  }
}

}  // namespace exercises
