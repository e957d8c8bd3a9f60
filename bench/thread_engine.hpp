// thread_engine.hpp: the experiment with one std::thread per worker (the article's
// threading row, in C++).
//
// A thread is a kernel task: it takes a pid from the machine-wide pool (pid_max: 32768
// here, 4194304 where systemd sets it), a kernel stack, two memory mappings (its stack
// and a guard page), and a user stack of 8 MiB of address space. Creating threads until
// the system refuses would take every pid, and every other program on the machine (your
// shell's next command included) could no longer start a process. So this engine never
// asks for more than a cap well below those limits, and reports the cap as the reason a
// run did not finish.
#pragma once

#include <cstddef>
#include <string>

#include "bench/machine.hpp"
#include "bench/sleep_work.hpp"

namespace bench {

struct ThreadCap {
  std::size_t threads = 0;
  std::string reason;  // why a run past `threads` workers is not tried
};

// min(16,000, pid_max / 2, threads-max / 2, max_map_count / 4); the reason names the
// kernel's limits: "capped at 16,000 threads (pid_max 32768, threads-max 192730)".
ThreadCap thread_cap(const Machine& machine);
// A cap given on the command line (for tests).
ThreadCap thread_cap(std::size_t threads);

SleepRun run_sleep_threads(const SleepWork& work, const ThreadCap& cap);

// What one thread costs, measured by starting `threads` threads that wait, then
// releasing them.
struct ThreadCost {
  std::size_t threads = 0;
  double create_seconds = 0;       // to create one
  double resident_bytes = 0;       // our RSS grows by this much per thread
  double kernel_stack_bytes = 0;   // the kernel's memory for its stack
  double address_space_bytes = 0;  // mapped (mostly its 8 MiB stack, not resident)
};
ThreadCost measure_thread_cost(std::size_t threads);

}  // namespace bench
