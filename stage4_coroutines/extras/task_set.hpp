// extras/task_set.hpp: TaskSet<T>, tasks that run at once and are handed back as they
// finish: asyncio.wait(tasks, return_when=FIRST_COMPLETED) and asyncio.as_completed. Not
// needed for the client, which waits for all its requests (gather).
//
//   TaskSet<int> tasks(loop, std::move(list));     // each starts, as a task of its own
//   std::vector<Task<int>> done = co_await tasks.wait_first();   // one or more, finished
//   int value = co_await tasks.next();             // as_completed: the next one to finish
//
// wait_first() hands back every task that has finished (at least one), each a finished
// Task whose result() gives its value or rethrows; the others run on, still in the set.
// next() gives the result of the next task to finish, or rethrows its exception.
// `as_completed(loop, std::move(list))` makes a TaskSet, read with next() in a loop.
//
// Who owns what: the set owns every task it has not handed back. asyncio's wait() returns
// the pending tasks, still running, and the caller must cancel them; here they stay in the
// set, whose destructor (or cancel()) destroys them: cancelling is destroying the frame,
// wherever it is suspended. One coroutine at a time may await the set, and the set must not
// outlive its loop. A task's end wakes the awaiting coroutine at the loop's next turn.
#pragma once

#include <cstddef>
#include <deque>
#include <stdexcept>
#include <vector>

#include "stage4_coroutines/event_loop.hpp"

namespace stage4 {

template <typename T>
class TaskSet {
 public:
  TaskSet(EventLoop& loop, std::vector<Task<T>> tasks) : loop_(loop), entries_(tasks.size()) {
    for (Task<T>& task : tasks) task.startable("TaskSet");  // all or none
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      Entry& entry = entries_[i];
      entry.set = this;
      entry.task = std::move(tasks[i]);
      entry.start.start(loop, entry.task.handle().promise(), entry.task.handle(), &entry);
    }
    pending_ = tasks.size();
  }
  TaskSet(const TaskSet&) = delete;
  TaskSet& operator=(const TaskSet&) = delete;

  class WaitFirst;
  class Next;
  WaitFirst wait_first() { return WaitFirst(*this); }        // `co_await`: std::vector<Task<T>>
  Next next() { return Next(*this); }                        // `co_await`: T, or it throws
  std::size_t pending() const noexcept { return pending_; }  // not handed back yet
  void cancel() noexcept {  // destroys every task not handed back (asyncio: cancel each)
    for (Entry& entry : entries_) {
      entry.start.unlink();  // (a task that never took its first step leaves the ready list)
      entry.task = Task<T>();
    }
    finished_.clear();
    pending_ = 0;
  }

 private:
  // A task of the set, its start, and the Join that hears its end.
  struct Entry final : Join {
    std::coroutine_handle<> task_done(TaskPromiseBase&) noexcept override {
      set->finished_.push_back(this);
      if (Waiter* awaiting = set->awaiting_.pop_front()) set->loop_.call_soon(*awaiting);
      return std::noop_coroutine();  // back to the loop
    }
    TaskSet* set = nullptr;
    Task<T> task;
    TaskStart start;  // declared after the task: it goes first
  };
  // What both awaiters share: ready if a task has finished, else wait for one to.
  class Awaiter {
   public:
    explicit Awaiter(TaskSet& set) : set_(set) {
      if (set_.pending_ == 0) throw std::logic_error("TaskSet: no task left to wait for");
    }
    bool await_ready() const noexcept { return !set_.finished_.empty(); }
    void await_suspend(std::coroutine_handle<> awaiting) {
      set_.loop_.park(waiter_, awaiting);
      set_.awaiting_.push_back(waiter_);
    }

   protected:
    Task<T> take_first() {  // the first task to have finished, out of the set
      Entry* entry = set_.finished_.front();
      set_.finished_.pop_front();
      --set_.pending_;
      return std::move(entry->task);
    }
    TaskSet& set_;

   private:
    Waiter waiter_;  // in the set's awaiting list, then the loop's ready list
  };

  EventLoop& loop_;
  std::vector<Entry> entries_;   // made once: the loop links them, they must not move
  std::deque<Entry*> finished_;  // finished, not handed back: in the order they finished
  std::size_t pending_ = 0;
  WaiterList awaiting_;  // the coroutine awaiting the set, if any
};

template <typename T>
class TaskSet<T>::WaitFirst : public Awaiter {
 public:
  using Awaiter::Awaiter;
  std::vector<Task<T>> await_resume() {
    std::vector<Task<T>> done;
    while (!this->set_.finished_.empty()) done.push_back(this->take_first());
    return done;
  }
};

template <typename T>
class TaskSet<T>::Next : public Awaiter {
 public:
  using Awaiter::Awaiter;
  T await_resume() {
    Task<T> first = this->take_first();
    return first.result();  // its frame goes on the way out
  }
};

// asyncio.as_completed(tasks): `while (set.pending() > 0) value = co_await set.next();`
template <typename T>
TaskSet<T> as_completed(EventLoop& loop, std::vector<Task<T>> tasks) {
  return TaskSet<T>(loop, std::move(tasks));
}

}  // namespace stage4
