// extras/to_thread.hpp: `co_await to_thread(loop, f)`, asyncio.to_thread: runs f() on a
// thread of its own and hands its value (or its exception) back to the awaiting coroutine,
// while the loop runs every other task. Not needed for the client, which does no work
// of its own worth a thread: it is the fix for blocking or CPU-bound work in a step.
//
//   long total = co_await to_thread(loop, [] { return sum_of_squares(20); });
//
// The loop does not poll for the result. The thread's last act is to write to an eventfd,
// and the coroutine awaits readable() on it: the loop sleeps in select() like for any
// socket, and wakes when the thread is done (asyncio's call_soon_threadsafe writes a byte
// to the loop's self-pipe the same way). Nothing else crosses threads: the thread writes
// the result into the frame, the coroutine reads it after join(), which orders the two.
//
// Who owns what: the frame owns the thread (a std::jthread), and everything f() touches
// through it lives in the frame too, declared before the thread, so the thread is joined
// before any of it goes. Cancelled (the frame destroyed while f() runs), the destructor asks
// f() to stop (if f takes a std::stop_token, it can check it) and waits for it to return:
// C++ cannot kill a thread (nor can Python), and f() still uses the frame. That wait
// blocks the loop: give a long f() a std::stop_token. asyncio instead lets the thread run
// on unwatched in its executor. Shortcut: a thread per call; a real runtime keeps a pool
// (asyncio's default executor, tokio's spawn_blocking).
#pragma once

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <exception>
#include <stop_token>
#include <thread>
#include <type_traits>

#include "common/fd.hpp"
#include "common/net.hpp"
#include "stage4_coroutines/event_loop.hpp"

namespace stage4 {

namespace detail {

template <typename F>  // f(stop_token) if it takes one, else f()
decltype(auto) call_with(F& f, std::stop_token stop) {
  if constexpr (std::is_invocable_v<F&, std::stop_token>) {
    return f(std::move(stop));
  } else {
    return f();
  }
}

}  // namespace detail

template <typename F>
using ThreadResult = std::decay_t<decltype(detail::call_with(std::declval<F&>(), {}))>;

// [docs:stage4-to-thread]
template <typename F>
Task<ThreadResult<F>> to_thread(EventLoop& loop, F f) {
  common::Fd finished(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));  // the thread's "done"
  if (!finished) throw common::NetError("eventfd", errno);
  ReturnSlot<ThreadResult<F>> result;  // where a Task keeps its co_return value, too
  std::exception_ptr failure;
  std::jthread worker([&](std::stop_token stop) {  // (declared last: joined first)
    try {
      if constexpr (std::is_void_v<ThreadResult<F>>) {
        detail::call_with(f, std::move(stop));
        result.return_void();
      } else {
        result.return_value(detail::call_with(f, std::move(stop)));
      }
    } catch (...) {
      failure = std::current_exception();
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(finished.get(), &one, sizeof one);  // wakes the loop
  });
  co_await readable(loop, finished.get());  // the loop sleeps in select() meanwhile
  worker.join();  // at once: writing was its last act; from here on its writes are ours to read
  if (failure) std::rethrow_exception(failure);
  co_return result.take();
}
// [/docs]

}  // namespace stage4
