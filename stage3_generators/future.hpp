// future.hpp: Future<T>, asyncio's Future: a result that is not there yet. Whoever sets it
// later (an I/O callback, a timer, a task) and whoever waits for it hold its shared_ptr.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace stage3 {
class FutureBase {  // what every future has, whatever it holds: what Task and the loop use
 public:
  using Callback = std::function<void()>;
  explicit FutureBase(const char* name = "future") noexcept : name_(name) {}
  FutureBase(const FutureBase&) = delete;
  bool done() const noexcept { return done_; }
  bool failed() const noexcept { return exception_ != nullptr; }
  std::exception_ptr exception() const noexcept { return exception_; }
  const char* name() const noexcept { return name_; }  // "connect", "sleep": for the trace
  void add_done_callback(Callback callback) {
    if (done_) return callback();  // already done: no need to wait
    callbacks_.push_back(std::move(callback));
  }
  void set_exception(std::exception_ptr exception) {
    check_not_done();
    exception_ = std::move(exception);
    mark_done();
  }

 protected:
  // Callbacks run in order, moved out first; noexcept: a throwing one is a bug nobody could catch.
  void mark_done() noexcept {
    done_ = true;
    for (Callback& callback : std::exchange(callbacks_, {})) callback();
  }
  ~FutureBase() = default;  // destroyed as the Future<T> (or Task<T>) it is part of
  void check_not_done() const {
    if (done_) throw std::logic_error(std::string(name_) + " future is already done");
  }
  void check_result() const {
    if (!done_) throw std::logic_error(std::string(name_) + " future is not done yet");
    if (exception_) std::rethrow_exception(exception_);
  }

 private:
  const char* name_;  // a string literal
  std::exception_ptr exception_;
  std::vector<Callback> callbacks_;
  bool done_ = false;
};

template <typename T>
class Future : public FutureBase {
 public:
  using FutureBase::FutureBase;
  void set_result(T value) {
    check_not_done();
    value_ = std::move(value);
    mark_done();
  }
  T& result() {
    check_result();
    return *value_;
  }

 private:
  std::optional<T> value_;
};

template <>
class Future<void> : public FutureBase {
 public:
  using FutureBase::FutureBase;
  void set_result() {
    check_not_done();
    mark_done();
  }
  void result() const { check_result(); }
};

using FuturePtr = std::shared_ptr<FutureBase>;  // what generators yield: one type, any future
}  // namespace stage3
