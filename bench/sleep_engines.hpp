// sleep_engines.hpp: the experiment on the runtimes the stages built: stage 3's hand-rolled
// Generator/Task/EventLoop (stage3_engine.cpp) and stage 4's C++20 coroutines
// (stage4_engine.cpp). Each runs every worker on one thread, in one event loop, as asyncio
// does.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "bench/sleep_work.hpp"

namespace bench {

// Every worker a stage3::Task on one EventLoop.
SleepRun run_sleep_stage3(const SleepWork& work);
// Every worker a stage4::Task on one EventLoop; `million` runs it with as many workers as
// tasks.
SleepRun run_sleep_stage4(const SleepWork& work);

struct SleepEngine {
  std::string name;  // "stage 4 (co_await)"
  std::function<SleepRun(const SleepWork&)> run;
};

inline std::vector<SleepEngine> sleep_engines() {
  return {{"stage 3 (generators)", run_sleep_stage3}, {"stage 4 (co_await)", run_sleep_stage4}};
}

}  // namespace bench
