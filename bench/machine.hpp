// machine.hpp: what the machine is, and the limits that decide how many threads it
// can hold. Every table starts with it: a benchmark figure means nothing without the
// machine that made it (and whether anything else was running).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace bench {

struct Machine {
  std::string cpu;  // "AMD EPYC"
  unsigned cores = 0;
  std::uint64_t ram_bytes = 0;
  std::string kernel;       // "Linux 6.1.0"
  double load_average = 0;  // over the last minute, before we started
  // The limits on threads (0 when unknown, e.g. not Linux):
  long pid_max = 0;                    // /proc/sys/kernel/pid_max: every thread takes a pid
  long threads_max = 0;                // /proc/sys/kernel/threads-max: tasks in the whole system
  long max_map_count = 0;              // /proc/sys/vm/max_map_count: a thread stack is 2 mappings
  std::size_t thread_stack_bytes = 0;  // a new thread's stack (glibc: RLIMIT_STACK, 8 MiB)

  // "2 cores (AMD EPYC), 23.5 GiB RAM, Linux 6.1.0, load 0.12"
  std::string describe() const;
  // True when something else was using the CPUs as we started (load >= 0.5 per core).
  bool busy() const { return cores > 0 && load_average >= 0.5 * cores; }
  nlohmann::ordered_json to_json() const;
};

Machine read_machine();

// Resident memory of this process now, and the most it has had (ru_maxrss).
std::size_t current_rss_bytes();
std::size_t peak_rss_bytes();
// The address space this process has mapped (VmSize), resident or not.
std::size_t address_space_bytes();
// Memory the kernel holds for the stacks of every thread on the machine (KernelStack
// in /proc/meminfo): each thread has one in the kernel besides its own.
std::size_t kernel_stacks_bytes();

// Connection attempts the kernel dropped because a listening socket's accept queue was
// full (TcpExt ListenOverflows in /proc/net/netstat), machine-wide; -1 when unknown.
// Each one costs its client a SYN retry: 1 s later, then 2 s, 4 s...
long listen_overflows();

// "1.5 GiB", "312 MiB", "824 B".
std::string format_bytes(double bytes);

}  // namespace bench
