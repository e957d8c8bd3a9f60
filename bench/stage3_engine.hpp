// stage3_engine.hpp: the sleep experiment on stage 3's runtime (hand-rolled generators).
#pragma once

#include "bench/sleep_work.hpp"

namespace bench {

// Every worker a stage3::Task on one EventLoop.
SleepRun run_sleep_stage3(const SleepWork& work);

}  // namespace bench
