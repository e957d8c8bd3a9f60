// extras/toolkit.hpp: asyncio's conveniences the client does not need, beside the lean core.
//   wait_for(loop, generator, seconds): as asyncio.wait_for(coro, timeout), the generator runs
//   as a task of its own (the tests use it).
#pragma once
#include "stage3_generators/wait_for.hpp"

namespace stage3 {
template <typename T>
std::shared_ptr<Future<T>> wait_for(EventLoop& loop, Generator<FuturePtr, T> generator,
                                    double seconds) {
  return wait_for(loop, loop.create_task(std::move(generator)), seconds);
}
}  // namespace stage3
