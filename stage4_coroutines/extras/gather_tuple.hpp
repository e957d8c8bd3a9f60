// extras/gather_tuple.hpp: `auto [a, b] = co_await gather(loop, task_a(), task_b())`:
// asyncio.gather over tasks of different result types, into a std::tuple (a Task<void>
// gives std::monostate). The client needs only gather.hpp's vector form; this is the same
// JoinAll with a fold expression over a parameter pack.
#pragma once

#include <exception>
#include <tuple>
#include <type_traits>
#include <variant>

#include "stage4_coroutines/gather.hpp"

namespace stage4 {

namespace detail {

template <typename T>
using Result = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <typename T>
Result<T> take(Task<T>& task) {
  if constexpr (std::is_void_v<T>) {
    task.result();
    return {};
  } else {
    return task.result();
  }
}

}  // namespace detail

template <typename... T>
Task<std::tuple<detail::Result<T>...>> gather(EventLoop& loop, Task<T>... tasks) {
  JoinAll all(loop, sizeof...(T));
  (all.add(tasks), ...);
  co_await all;

  std::exception_ptr first;  // the first failure, in the order the tasks were given
  ((first = first ? first : tasks.handle().promise().exception), ...);
  if (first) std::rethrow_exception(first);
  co_return std::tuple<detail::Result<T>...>(detail::take(tasks)...);
}

}  // namespace stage4
