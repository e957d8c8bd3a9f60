// helpers.hpp: what several stage 4 test files use.
// - Counted, a value that counts its constructions and destructions in a Tally, to prove
//   that a coroutine frame releases what it captured exactly once.
// - note_after(), a task that sleeps, then notes who it is: the order tasks end in.
#pragma once

#include <vector>

#include "stage4_coroutines/event_loop.hpp"
#include "stage4_coroutines/sleep.hpp"
#include "stage4_coroutines/task.hpp"

namespace stage4_test {

struct Tally {
  int made = 0;
  int gone = 0;
  int alive() const { return made - gone; }
};

class Counted {
 public:
  explicit Counted(Tally& tally) : tally_(&tally) { ++tally_->made; }
  Counted(const Counted& other) : tally_(other.tally_) { ++tally_->made; }
  Counted(Counted&& other) noexcept : tally_(other.tally_) { ++tally_->made; }
  Counted& operator=(const Counted&) = delete;
  ~Counted() { ++tally_->gone; }

 private:
  Tally* tally_;
};

// Sleeps `delay`, then appends `id` to `noted`.
inline stage4::Task<void> note_after(stage4::EventLoop& loop, stage4::Duration delay, int id,
                                     std::vector<int>& noted) {
  co_await stage4::sleep(loop, delay);
  noted.push_back(id);
}

}  // namespace stage4_test
