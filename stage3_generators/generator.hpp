// generator.hpp: Generator<Yield, Return>, Python's generator written by hand as a C++20
// coroutine type: a promise_type, co_yield and co_return, no std::generator, no library.
//
//   Generator<int, std::string> count_to(int n) {  // def count_to(n):
//     for (int i = 1; i <= n; ++i) co_yield i;     //     for i in range(1, n + 1): yield i
//     co_return "done";                            //     return "done"
//   }
//   auto counting = count_to(2);    // nothing runs yet, as in Python
//   counting.next();                // true: counting.yielded() == 1
//   counting.next();                // true: counting.yielded() == 2
//   counting.next();                // false: it returned; counting.result() == "done"
//
// Public API:
//   bool next()        resumes the generator until its next co_yield (true) or until it
//                      returns (false). An exception the generator lets escape comes out
//                      of next(), as it comes out of Python's next().
//   const Yield& yielded()  the value of the last co_yield (after next() returned true).
//   Return result()    the co_return value (after next() returned false); rethrows what the
//                      generator threw.
//   bool done()        whether it has returned (or thrown).
//   co_yield yield_from(sub)   delegation, Python's `yield from sub`: see below. `sub` is
//                      a new generator (never resumed); the co_yield gives its result.
//
// Who owns the frame. A coroutine's locals live in a frame on the heap, which the compiler
// allocates when the generator function is called. Python frees a generator's frame when
// the last reference goes; C++ frees it when someone calls handle.destroy(). Here that
// someone is the Generator object, and only it: it is move-only, and its destructor
// destroys the frame, whether the generator never started, is suspended at a co_yield
// (its locals' destructors run then: a socket closes, a future is released) or has
// finished. Python's gen.close() on a suspended generator is the same moment.
//
// Delegation (`yield from`). `R r = co_yield yield_from(sub);` runs the sub-generator
// `sub` to its end: every value it yields goes straight to whoever calls next() on the
// outermost generator, and when it returns, its return value becomes the value of the
// co_yield expression (an exception it throws is rethrown there instead). That is exactly
// PEP 380's `r = yield from sub`. It is implemented explicitly, as a stack:
// - the outermost generator (the root, the one whose next() is called) remembers the
//   innermost running one, `top`; each generator remembers who delegated to it, `caller`;
// - next() always resumes `top`. When `top` suspends at co_yield yield_from(sub), next()
//   pushes `sub` and resumes it; when `top` finishes, next() pops it and resumes its
//   caller, whose co_yield yield_from(...) then returns sub's result.
// The caller owns the sub-generator (it lives in the caller's frame, inside the co_yield
// expression), so destroying the root destroys the whole stack, innermost first.
#pragma once

#include <coroutine>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

namespace stage3 {

template <typename Yield, typename Return = void>
class Generator;

namespace detail {

// What next() needs from every frame on the delegation stack, whatever it returns.
template <typename Yield>
struct PromiseBase {
  std::coroutine_handle<> self;        // this frame, to resume it
  PromiseBase* caller = nullptr;       // who delegated to us (none for the root)
  PromiseBase* top = this;             // root only: the innermost running frame
  PromiseBase* delegate_to = nullptr;  // set by co_yield yield_from(sub)
  const Yield* yielded = nullptr;      // the value of the last co_yield (below)
  std::exception_ptr exception;        // what escaped the generator's body
};

// Where co_return puts its value: Python's StopIteration.value.
template <typename Return>
struct ReturnSlot {
  std::optional<Return> returned;
  void return_value(Return value) { returned = std::move(value); }
  Return take() { return std::move(*returned); }
};
template <>
struct ReturnSlot<void> {
  void return_void() noexcept {}
  void take() noexcept {}
};

}  // namespace detail

// The marker of delegation: `co_yield yield_from(sub)` (see the comment at the top).
template <typename Yield, typename Return>
struct YieldFrom {
  Generator<Yield, Return> sub;
};
template <typename Yield, typename Return>
YieldFrom<Yield, Return> yield_from(Generator<Yield, Return> sub) {
  return {std::move(sub)};
}

template <typename Yield, typename Return>
class [[nodiscard]] Generator {
 public:
  // [docs:stage3-promise-type]
  // The compiler finds the coroutine's promise here: calling a function that returns a
  // Generator allocates a frame holding a promise_type and the function's locals.
  struct promise_type : detail::PromiseBase<Yield>, detail::ReturnSlot<Return> {
    Generator get_return_object() {
      auto handle = std::coroutine_handle<promise_type>::from_promise(*this);
      this->self = handle;
      return Generator(handle);
    }
    // Lazy, as in Python: the body does not run until the first next().
    std::suspend_always initial_suspend() noexcept { return {}; }
    // Stay suspended at the end, so the Generator can read the result; it destroys the frame.
    std::suspend_always final_suspend() noexcept { return {}; }
    void unhandled_exception() noexcept { this->exception = std::current_exception(); }

    // co_yield value: hand `value` to whoever called next(), and stop here until resumed.
    // No copy: `value` (or the temporary it converted to) belongs to the co_yield
    // expression, which lasts until the generator is resumed, so it waits in the frame.
    // The co_yield expression itself is void: Python would return what send() passed in;
    // a Task sends nothing, the generator reads the result from the future it yielded.
    std::suspend_always yield_value(const Yield& value) noexcept {
      this->yielded = std::addressof(value);
      return {};
    }

    // co_yield yield_from(sub): stop here, and let next() run `sub` in our place. The
    // awaiter returned owns `sub` and lives in our frame until the co_yield is over.
    template <typename SubReturn>
    auto yield_value(YieldFrom<Yield, SubReturn> from) {
      struct Delegation {
        Generator<Yield, SubReturn> sub;
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<>) const noexcept {}
        SubReturn await_resume() { return sub.result(); }  // or rethrows what sub threw
      };
      if (!from.sub.handle_) throw std::logic_error("yield_from: an empty generator");
      this->delegate_to = &from.sub.handle_.promise();
      return Delegation{std::move(from.sub)};
    }
  };
  // [/docs]

  Generator() noexcept = default;  // owns no frame (what a moved-from Generator is too)
  Generator(Generator&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  Generator& operator=(Generator&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  ~Generator() {
    if (handle_) handle_.destroy();  // the one place the frame dies
  }

  // [docs:stage3-generator-next]
  // Resumes the generator until it yields a value (true) or returns (false). The loop is
  // `yield from`: it resumes the innermost generator, pushes a sub-generator when one is
  // delegated to, pops a finished one and resumes its caller with the result.
  bool next() {
    if (!handle_ || handle_.done()) throw std::logic_error("next() on a finished generator");
    detail::PromiseBase<Yield>& root = handle_.promise();
    for (;;) {
      detail::PromiseBase<Yield>* top = root.top;
      top->self.resume();
      if (detail::PromiseBase<Yield>* sub = std::exchange(top->delegate_to, nullptr)) {
        sub->caller = top;  // push: run the sub-generator in its caller's place
        root.top = sub;
        continue;
      }
      if (!top->self.done()) return true;  // a co_yield somewhere on the stack
      if (top == &root) break;             // the generator itself has returned
      root.top = top->caller;              // pop: the caller's co_yield yield_from(...)
    }                                      // returns the sub-generator's result
    if (root.exception) std::rethrow_exception(root.exception);
    return false;
  }
  // [/docs]

  // The value of the last co_yield, at any depth of delegation.
  const Yield& yielded() const { return *handle_.promise().top->yielded; }

  // What the generator returned; rethrows what it threw.
  Return result() {
    if (!done()) throw std::logic_error("result() of a generator that has not returned");
    promise_type& promise = handle_.promise();
    if (promise.exception) std::rethrow_exception(promise.exception);
    return promise.take();
  }

  bool done() const noexcept { return handle_ && handle_.done(); }

 private:
  template <typename, typename>
  friend class Generator;  // a caller's promise reaches into its sub-generator

  explicit Generator(std::coroutine_handle<promise_type> handle) : handle_(handle) {}

  std::coroutine_handle<promise_type> handle_;
};

}  // namespace stage3
