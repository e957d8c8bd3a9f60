#include "bench/machine.hpp"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace bench {

namespace {

long read_number(const char* path) {
  std::ifstream in(path);
  long value = 0;
  return in >> value ? value : 0;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(": ");
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown CPU";
}

// The stack a std::thread gets: glibc uses the default attributes, whose stack size is
// RLIMIT_STACK (ulimit -s, 8 MiB by default).
std::size_t default_thread_stack() {
  pthread_attr_t attributes;
  std::size_t size = 0;
  if (pthread_getattr_default_np(&attributes) == 0) {
    pthread_attr_getstacksize(&attributes, &size);
    pthread_attr_destroy(&attributes);
  }
  return size;
}

// "VmSize:   123456 kB" -> 123456 * 1024, from a /proc file of such lines.
std::size_t kilobytes_field(const char* path, const std::string& field) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::stoul(line.substr(field.size() + 1)) * 1024;
  }
  return 0;
}

}  // namespace

Machine read_machine() {
  Machine machine;
  machine.cpu = cpu_model();
  machine.cores = std::thread::hardware_concurrency();
  long pages = ::sysconf(_SC_PHYS_PAGES);
  long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages > 0 && page_size > 0)
    machine.ram_bytes = static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size);
  utsname names{};
  if (::uname(&names) == 0) machine.kernel = std::string(names.sysname) + " " + names.release;
  double loads[1] = {0};
  if (::getloadavg(loads, 1) == 1) machine.load_average = loads[0];
  machine.pid_max = read_number("/proc/sys/kernel/pid_max");
  machine.threads_max = read_number("/proc/sys/kernel/threads-max");
  machine.max_map_count = read_number("/proc/sys/vm/max_map_count");
  machine.thread_stack_bytes = default_thread_stack();
  return machine;
}

std::string Machine::describe() const {
  char text[256];
  std::snprintf(text, sizeof text, "%u cores (%s), %s RAM, %s, load average %.2f%s", cores,
                cpu.c_str(), format_bytes(static_cast<double>(ram_bytes)).c_str(), kernel.c_str(),
                load_average, busy() ? " (BUSY: figures will be noisy)" : "");
  return text;
}

nlohmann::ordered_json Machine::to_json() const {
  return {{"cpu", cpu},
          {"cores", cores},
          {"ram_bytes", ram_bytes},
          {"kernel", kernel},
          {"load_average", load_average},
          {"pid_max", pid_max},
          {"threads_max", threads_max},
          {"max_map_count", max_map_count},
          {"thread_stack_bytes", thread_stack_bytes}};
}

std::size_t current_rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t size = 0, resident = 0;
  if (statm >> size >> resident)
    return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return peak_rss_bytes();  // no /proc mounted: the peak is the best we have
}

std::size_t peak_rss_bytes() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::size_t>(usage.ru_maxrss) * 1024;  // Linux counts it in KiB
}

std::size_t address_space_bytes() {
  return kilobytes_field("/proc/self/status", "VmSize");
}

std::size_t kernel_stacks_bytes() {
  return kilobytes_field("/proc/meminfo", "KernelStack");
}

long listen_overflows() {
  // Pairs of lines: "TcpExt: SyncookiesSent ... ListenOverflows ..." then the values.
  std::ifstream in("/proc/net/netstat");
  for (std::string names, values; std::getline(in, names) && std::getline(in, values);) {
    if (names.rfind("TcpExt:", 0) != 0) continue;
    std::istringstream name_words(names), value_words(values);
    for (std::string name, value; name_words >> name && value_words >> value;)
      if (name == "ListenOverflows") return std::stol(value);
  }
  return -1;
}

std::string format_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
  return text;
}

}  // namespace bench
