// allocation_counter.hpp: counting every heap allocation the program makes.
//
// A C++20 coroutine's frame (its parameters, its locals that live across a co_await,
// the promise, and where to resume) is allocated with operator new when the coroutine
// is called. `million` links allocation_counter.cpp, which replaces the global operator
// new with one that counts, so it can print how many bytes one task really costs.
// Only `million` links it: the other benchmarks allocate at full speed.
#pragma once

#include <cstddef>

namespace bench {

// Counts from zero again.
void restart_allocation_count();

// Since the restart: how many allocations, how many bytes, and the size allocated most
// often (a million frames outnumber everything else) and how many times.
struct Allocations {
  std::size_t count = 0;
  std::size_t bytes = 0;
  std::size_t most_common_size = 0;
  std::size_t of_most_common_size = 0;
};
Allocations allocations_so_far();

}  // namespace bench
