// allocation_counter.hpp: counting every heap allocation the program makes.
//
// A C++20 coroutine's frame (its parameters, its locals that live across a co_await,
// the promise, and where to resume) is allocated with operator new when the coroutine
// is called. `million` links allocation_counter.cpp, which replaces the global operator
// new with one that counts, so it can print how many bytes one task really costs.
// Only `million` links it: the other benchmarks allocate at full speed.
#pragma once

#include <array>
#include <cstddef>

namespace bench {

struct Allocations {
  static constexpr std::size_t max_tracked_size = 1024;  // sizes above share the last slot
  std::size_t count = 0;
  std::size_t bytes = 0;
  std::array<std::size_t, max_tracked_size + 1> by_size{};  // how many of each size

  // The size allocated most often (a million frames outnumber everything else).
  std::size_t most_common_size() const;
  Allocations operator-(const Allocations& earlier) const;
};

// Everything allocated since the program started.
Allocations allocations_so_far();

}  // namespace bench
