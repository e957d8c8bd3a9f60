#include "bench/sleep_engines.hpp"

#if AIO_HAVE_STAGE3
#include "bench/stage3_engine.hpp"
#endif
#if AIO_HAVE_STAGE4
#include "bench/stage4_engine.hpp"
#endif

namespace bench {

std::vector<SleepEngine> sleep_engines() {
  std::vector<SleepEngine> engines;
#if AIO_HAVE_STAGE3
  engines.push_back({"stage 3 (generators)", run_sleep_stage3});
#endif
#if AIO_HAVE_STAGE4
  engines.push_back({"stage 4 (co_await)", run_sleep_stage4});
#endif
  return engines;
}

}  // namespace bench
