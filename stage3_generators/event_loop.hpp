// event_loop.hpp: EventLoop, the article's loop. It owns the unfinished tasks, the timers,
// the I/O callbacks and the Selector. Callbacks must not throw: nobody could catch it.
#pragma once
#include <deque>
#include <list>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.hpp"
#include "common/selector.hpp"
#include "stage3_generators/future.hpp"
#include "stage3_generators/generator.hpp"

namespace stage3 {
template <typename T>
class Task;

class LoopObserver {  // what --trace-loop sees: the loop and Task say what happened
 public:
  virtual ~LoopObserver() = default;
  virtual void line(std::string_view event, const std::string& detail) = 0;
  virtual void selected(common::Clock::duration waited,
                        std::span<const common::SelectorEvent> events) = 0;
};

struct TaskBase {  // what the loop knows of a task, whatever its generator returns (task.hpp)
  virtual ~TaskBase() = default;
  virtual void step() = 0;
  virtual void cancel() = 0;
  std::list<std::shared_ptr<TaskBase>>::iterator place_;  // in the loop's list, while unfinished
};

class EventLoop {
 public:
  using Callback = std::function<void()>;
  using Now = std::function<common::TimePoint()>;  // tests pass a clock they move by hand

  explicit EventLoop(common::SelectorKind selector = common::default_selector_kind(),
                     Now now = common::Clock::now)
      : selector_(common::make_selector(selector)), now_(std::move(now)) {}
  ~EventLoop() {  // cancels the unfinished tasks first: their frames close their sockets
    while (!tasks_.empty()) std::shared_ptr<TaskBase>(tasks_.front())->cancel();  // it lets go
  }
  template <typename T>  // (Task<T> is task.hpp's)
  std::shared_ptr<Task<T>> create_task(Generator<FuturePtr, T> generator, std::string name = {}) {
    if (name.empty()) name = "Task-" + std::to_string(++unnamed_tasks_);
    auto task = std::make_shared<Task<T>>(*this, std::move(generator), std::move(name));
    task->place_ = tasks_.insert(tasks_.end(), task);
    schedule(task);
    return task;
  }
  template <typename F>
  auto run_until_complete(const std::shared_ptr<F>& future) {
    while (!future->done()) run_once();
    return future->result();  // a copy
  }
  void run_once();
  bool has_ready() const noexcept { return !ready_.empty(); }
  std::size_t task_count() const noexcept { return tasks_.size(); }

  // Read once a turn, after select(), as libuv does: tasks woken together share deadlines.
  common::TimePoint time() const { return running_ ? time_ : now_(); }
  void call_later(double seconds, Callback callback) {
    sleep(*this, seconds)->add_done_callback(std::move(callback));
  }
  std::optional<common::TimePoint> next_timer() const {
    return timers_.empty() ? std::nullopt : std::optional(timers_.begin()->first);
  }
  // Calls back once, when fd is ready; cancel before closing fd: its number is soon reused.
  void call_when_ready(int fd, std::uint32_t events, Callback callback) {
    selector_->register_fd(fd, events, nullptr);  // throws first (select: fd >= FD_SETSIZE)
    when_ready_[fd] = std::move(callback);
  }
  void cancel_when_ready(int fd) {
    if (when_ready_.erase(fd) > 0) selector_->unregister(fd);
  }
  void trace_to(LoopObserver* observer) { observer_ = observer; }  // --trace-loop's, or none
  template <typename... Parts>  // a line per step, yield, wake-up: built only if traced
  void trace(std::string_view event, const Parts&... parts) const {
    if (observer_) observer_->line(event, (std::string() += ... += parts));
  }

 private:
  template <typename T>
  friend class Task;
  friend std::shared_ptr<Future<void>> sleep(EventLoop& loop, double seconds);
  void schedule(std::shared_ptr<TaskBase> task) { ready_.push_back(std::move(task)); }
  void release(TaskBase* task) { tasks_.erase(task->place_); }  // its caller still holds it

  std::unique_ptr<common::Selector> selector_;  // first: destroyed last
  Now now_;
  common::TimePoint time_;                        // time() inside a turn
  bool running_ = false;                          // run_once() is not reentrant
  std::unordered_map<int, Callback> when_ready_;  // I/O callbacks by fd
  // Futures due at each deadline, in order. (asyncio drops cancelled timers; ours fire unheard.)
  std::map<common::TimePoint, std::vector<std::shared_ptr<Future<void>>>> timers_;
  std::deque<std::shared_ptr<TaskBase>> ready_;  // to step, in order
  std::list<std::shared_ptr<TaskBase>> tasks_;   // the unfinished ones
  std::size_t unnamed_tasks_ = 0;                // numbers "Task-N", as asyncio does
  LoopObserver* observer_ = nullptr;
};

// asyncio.sleep: a future the loop resolves `seconds` from now. `co_yield sleep(loop, 0.5);`
std::shared_ptr<Future<void>> sleep(EventLoop& loop, double seconds);
}  // namespace stage3
