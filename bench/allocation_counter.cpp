#include "bench/allocation_counter.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>
#include <new>

namespace {

// Relaxed atomics: a counter, not a synchronisation point. Zero-initialised before any
// allocation can happen (constant initialisation). Sizes above 1,024 share the last slot.
std::atomic<std::size_t> count{0};
std::atomic<std::size_t> bytes{0};
std::array<std::atomic<std::size_t>, 1025> by_size{};

void* counted_allocation(std::size_t size) {
  count.fetch_add(1, std::memory_order_relaxed);
  bytes.fetch_add(size, std::memory_order_relaxed);
  by_size[std::min(size, by_size.size() - 1)].fetch_add(1, std::memory_order_relaxed);
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

void restart_allocation_count() {  // while no other thread allocates
  count = 0;
  bytes = 0;
  for (auto& allocations : by_size) allocations = 0;
}

Allocations allocations_so_far() {
  auto fewer = [](const auto& a, const auto& b) { return a.load() < b.load(); };
  auto most = std::max_element(by_size.begin() + 1, by_size.end(), fewer);
  return {count.load(), bytes.load(), static_cast<std::size_t>(most - by_size.begin()),
          most->load()};
}

}  // namespace bench
