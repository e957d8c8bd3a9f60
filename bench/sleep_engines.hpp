// sleep_engines.hpp: the experiment on the runtimes the stages built, the ones this build
// has: stage 3's hand-rolled Generator/Task/EventLoop and stage 4's C++20 coroutines.
// Each runs every worker on one thread, in one event loop, as asyncio does.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "bench/sleep_work.hpp"

namespace bench {

struct SleepEngine {
  std::string name;  // "stage 4 (co_await)"
  std::function<SleepRun(const SleepWork&)> run;
};

std::vector<SleepEngine> sleep_engines();

}  // namespace bench
