// stage4_engine.hpp: the sleep experiment on stage 4's runtime (C++20 coroutines).
#pragma once

#include "bench/sleep_work.hpp"

namespace bench {

// Every worker a stage4::Task on one EventLoop; `million` runs it with as many workers
// as tasks.
SleepRun run_sleep_stage4(const SleepWork& work);

}  // namespace bench
