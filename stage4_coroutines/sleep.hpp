// sleep.hpp: `co_await sleep(loop, 10ms)`, asyncio.sleep: suspend this coroutine, let the
// loop run the others, resume after the duration. Zero or less: yield once (go to the back
// of the ready list), like asyncio.sleep(0).
//
// Who owns what: the awaiter, and so the timer, lives in the sleeping coroutine's frame
// (the compiler keeps the awaiter of a co_await there until it resumes). Destroying the
// sleeping task destroys the awaiter, whose TimerWait removes the timer: a cancelled
// sleep leaves nothing in the loop. Stage 3 needed a Future and a callback per sleep;
// here the awaiter is both.
#pragma once

#include <chrono>
#include <coroutine>

#include "stage4_coroutines/event_loop.hpp"

namespace stage4 {

// [docs:stage4-sleep]
class SleepAwaiter {
 public:
  SleepAwaiter(EventLoop& loop, Duration duration) noexcept : timer_(loop), duration_(duration) {}

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> sleeping) {
    EventLoop& loop = timer_.loop();
    if (duration_ > Duration::zero()) return timer_.start(loop.time() + duration_, sleeping);
    timer_.handle = sleeping;  // just yield: the others run first
    timer_.task = loop.current_task();
    loop.call_soon(timer_);
  }
  void await_resume() const noexcept {}

 private:
  TimerWait timer_;  // in the sleeping frame: the timer dies with it
  Duration duration_;
};
// [/docs]

template <typename Rep, typename Period>
SleepAwaiter sleep(EventLoop& loop, std::chrono::duration<Rep, Period> duration) {
  return SleepAwaiter(loop, std::chrono::ceil<Duration>(duration));
}

}  // namespace stage4
