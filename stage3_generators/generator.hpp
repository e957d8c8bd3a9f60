// generator.hpp: Generator<Yield, Return>, Python's generator as a C++20 coroutine type:
//   Generator<int, std::string> f() { co_yield 1; co_return "done"; }  // yield 1; return "done"
// next() runs it to its next co_yield (then yielded() is 1) or to its end (then result() is
// "done"). The Generator alone owns the frame: it destroys it, finished or suspended (its
// locals' destructors run then, as at Python's gen.close()).
#pragma once
#include <coroutine>
#include <exception>
#include <optional>
#include <stdexcept>
#include <utility>

namespace stage3 {
// [docs:stage3-generator-resume]
template <typename Yield>
struct PromiseBase {  // what every frame has, whatever it returns, so frames can delegate
  std::coroutine_handle<> self;     // this frame
  PromiseBase* delegate = nullptr;  // the sub-generator running in our place, if any
  const Yield* yielded = nullptr;   // the value of the last co_yield
  std::exception_ptr exception;     // what escaped the body

  // Runs to the next value (true) or to the end (false). Delegation is this loop, as in CPython.
  bool resume() {
    for (;;) {
      if (delegate && delegate->resume()) {
        yielded = delegate->yielded;  // what the sub-generator yields passes through
        return true;
      }
      delegate = nullptr;  // none, or it has returned: its result comes out of our co_yield
      self.resume();
      if (self.done()) return false;
      if (!delegate) return true;  // a co_yield of a value, not of yield_from(...)
    }
  }
};
// [/docs]

template <typename Return>
struct ReturnSlot {  // where co_return puts its value: Python's StopIteration.value
  std::optional<Return> returned;
  void return_value(Return value) { returned = std::move(value); }
  Return take() { return std::move(*returned); }
};
template <>
struct ReturnSlot<void> {
  void return_void() noexcept {}
  void take() noexcept {}
};

template <typename Yield, typename Return = void>
class [[nodiscard]] Generator {
 public:
  // [docs:stage3-promise-type]
  // The compiler's hook: calling the function allocates a frame holding this and the locals.
  struct promise_type : PromiseBase<Yield>, ReturnSlot<Return> {
    Generator get_return_object() {
      auto handle = std::coroutine_handle<promise_type>::from_promise(*this);
      this->self = handle;
      return Generator(handle);
    }
    std::suspend_always initial_suspend() noexcept { return {}; }  // lazy, as in Python
    // Stay suspended at the end, so the Generator can read the result; it destroys the frame.
    std::suspend_always final_suspend() noexcept { return {}; }
    void unhandled_exception() noexcept { this->exception = std::current_exception(); }
    // co_yield value: stop; next()'s caller reads `value` where it is, until we resume.
    std::suspend_always yield_value(const Yield& value) noexcept {
      this->yielded = &value;
      return {};
    }
    // co_yield yield_from(sub): `sub` runs in our place, owned by the awaiter in our frame.
    template <typename SubReturn>
    auto yield_value(Generator<Yield, SubReturn> sub) {
      struct Delegation : std::suspend_always {
        Generator<Yield, SubReturn> sub;
        SubReturn await_resume() { return sub.result(); }
      };
      if (!sub.handle_ || sub.handle_.done()) throw std::logic_error("yield_from: nothing to run");
      this->delegate = &sub.handle_.promise();
      return Delegation{{}, std::move(sub)};
    }
  };
  // [/docs]

  Generator() noexcept = default;
  Generator(Generator&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  Generator& operator=(Generator other) noexcept {
    std::swap(handle_, other.handle_);  // our old frame dies with `other`
    return *this;
  }
  ~Generator() {
    if (handle_) handle_.destroy();  // the one place a frame dies
  }
  // Python's next(gen): true with a value, false once it has returned; rethrows what it threw.
  bool next() {
    if (!handle_ || handle_.done()) throw std::logic_error("next() on a finished generator");
    if (handle_.promise().resume()) return true;
    if (handle_.promise().exception) std::rethrow_exception(handle_.promise().exception);
    return false;
  }
  const Yield& yielded() const { return *handle_.promise().yielded; }
  Return result() {
    if (!done()) throw std::logic_error("result() of a generator that has not returned");
    if (handle_.promise().exception) std::rethrow_exception(handle_.promise().exception);
    return handle_.promise().take();
  }
  bool done() const noexcept { return handle_ && handle_.done(); }

 private:
  template <typename, typename>
  friend class Generator;  // a caller's promise reaches into its sub-generator
  explicit Generator(std::coroutine_handle<promise_type> handle) : handle_(handle) {}
  std::coroutine_handle<promise_type> handle_;
};

// PEP 380's `r = yield from sub` is `R r = co_yield yield_from(sub);`.
template <typename Yield, typename Return>
Generator<Yield, Return>&& yield_from(Generator<Yield, Return>&& sub) {
  return std::move(sub);
}
}  // namespace stage3
