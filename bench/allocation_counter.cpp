#include "bench/allocation_counter.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {

// Relaxed atomics: a counter, not a synchronisation point. Zero-initialised before any
// allocation can happen (constant initialisation).
std::atomic<std::size_t> count{0};
std::atomic<std::size_t> bytes{0};
std::array<std::atomic<std::size_t>, bench::Allocations::max_tracked_size + 1> by_size{};

void* counted_allocation(std::size_t size) {
  count.fetch_add(1, std::memory_order_relaxed);
  bytes.fetch_add(size, std::memory_order_relaxed);
  by_size[size < by_size.size() ? size : by_size.size() - 1].fetch_add(1,
                                                                       std::memory_order_relaxed);
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}

}  // namespace

void* operator new(std::size_t size) {
  return counted_allocation(size);
}
void* operator new[](std::size_t size) {
  return counted_allocation(size);
}
void operator delete(void* memory) noexcept {
  std::free(memory);
}
void operator delete[](void* memory) noexcept {
  std::free(memory);
}
void operator delete(void* memory, std::size_t) noexcept {
  std::free(memory);
}
void operator delete[](void* memory, std::size_t) noexcept {
  std::free(memory);
}

namespace bench {

std::size_t Allocations::most_common_size() const {
  std::size_t best = 0;
  for (std::size_t size = 1; size < by_size.size(); ++size)
    if (by_size[size] > by_size[best]) best = size;
  return best;
}

Allocations Allocations::operator-(const Allocations& earlier) const {
  Allocations difference;
  difference.count = count - earlier.count;
  difference.bytes = bytes - earlier.bytes;
  for (std::size_t size = 0; size < by_size.size(); ++size)
    difference.by_size[size] = by_size[size] - earlier.by_size[size];
  return difference;
}

Allocations allocations_so_far() {
  Allocations now;
  now.count = count.load(std::memory_order_relaxed);
  now.bytes = bytes.load(std::memory_order_relaxed);
  for (std::size_t size = 0; size < by_size.size(); ++size)
    now.by_size[size] = by_size[size].load(std::memory_order_relaxed);
  return now;
}

}  // namespace bench
