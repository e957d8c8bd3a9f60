#include "bench/sleep_engines.hpp"

#include "bench/stage3_engine.hpp"
#include "bench/stage4_engine.hpp"

namespace bench {

std::vector<SleepEngine> sleep_engines() {
  std::vector<SleepEngine> engines;
  engines.push_back({"stage 3 (generators)", run_sleep_stage3});
  engines.push_back({"stage 4 (co_await)", run_sleep_stage4});
  return engines;
}

}  // namespace bench
