// lifetimes.hpp: a value that counts its constructions and destructions, so a test of a
// coroutine type can prove that a frame released what it captured, exactly once: a task
// never started, one destroyed while suspended, and a finished one.
//
//   test_support::Lifetimes lifetimes;
//   { auto task = job(test_support::Counted(lifetimes)); }   // never started
//   CHECK(lifetimes.constructed > 0);
//   CHECK(lifetimes.alive() == 0);
#pragma once

namespace test_support {

struct Lifetimes {
  int constructed = 0;
  int destroyed = 0;
  int alive() const { return constructed - destroyed; }
};

class Counted {
 public:
  explicit Counted(Lifetimes& lifetimes) : lifetimes_(&lifetimes) { ++lifetimes_->constructed; }
  Counted(const Counted& other) : lifetimes_(other.lifetimes_) { ++lifetimes_->constructed; }
  Counted(Counted&& other) noexcept : lifetimes_(other.lifetimes_) { ++lifetimes_->constructed; }
  Counted& operator=(const Counted&) = delete;
  ~Counted() { ++lifetimes_->destroyed; }

 private:
  Lifetimes* lifetimes_;
};

}  // namespace test_support
