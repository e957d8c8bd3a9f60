// extras/background_tasks.hpp: asyncio.create_task for tasks nobody awaits. Not needed for
// the client, which awaits every task it starts (gather, wait_for).
//
//   BackgroundTasks background(loop);  // after the loop: it must die first
//   background.create_task(heartbeat(loop));
//
// asyncio's loop keeps only a weak reference to such a task, so its documentation tells you
// to keep one yourself ("background_tasks = set()", discarded when the task is done). In C++
// someone must own the frame: this set does. It destroys a task's frame once it has ended
// (printing on stderr an exception the task let escape: asyncio's "Task exception was never
// retrieved"), and every unfinished one when it dies.
#pragma once

#include <cstddef>
#include <iostream>
#include <list>

#include "stage4_coroutines/event_loop.hpp"

namespace stage4 {

class BackgroundTasks {
 public:
  explicit BackgroundTasks(EventLoop& loop) noexcept : loop_(loop) {}
  BackgroundTasks(const BackgroundTasks&) = delete;
  BackgroundTasks& operator=(const BackgroundTasks&) = delete;

  // `task` starts at the next turn, as a task of its own.
  void create_task(Task<void> task) {
    TaskPromiseBase& promise = task.startable("create_task");
    release_ended();
    Entry& entry = tasks_.emplace_back(*this);
    entry.place = std::prev(tasks_.end());
    entry.task = std::move(task);
    entry.start.start(loop_, promise, entry.task.handle(), &entry);
  }
  std::size_t size() const noexcept { return tasks_.size() - (ended_ ? 1 : 0); }  // unfinished
  EventLoop& loop() const noexcept { return loop_; }

 private:
  struct Entry final : Join {
    explicit Entry(BackgroundTasks& owner) : tasks(owner) {}
    // Called inside the task's final suspend, where its frame must not be destroyed yet: it
    // is at the next end, or create_task. By then this one's final suspend has returned.
    std::coroutine_handle<> task_done(TaskPromiseBase& promise) noexcept override {
      tasks.release_ended();
      if (promise.exception) report(promise.exception);
      tasks.ended_ = this;
      return std::noop_coroutine();  // back to the loop
    }
    BackgroundTasks& tasks;
    Task<void> task;
    TaskStart start;
    std::list<Entry>::iterator place;  // in tasks_
  };

  static void report(std::exception_ptr failure) noexcept {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& error) {
      std::cerr << "EventLoop: a task of create_task failed: " << error.what() << '\n';
    } catch (...) {
      std::cerr << "EventLoop: a task of create_task failed\n";
    }
  }
  void release_ended() noexcept {
    if (ended_) tasks_.erase(ended_->place);
    ended_ = nullptr;
  }

  EventLoop& loop_;
  std::list<Entry> tasks_;  // a list: an Entry is linked into the loop, so it must not move
  Entry* ended_ = nullptr;  // the last to end, its frame still to destroy
};

}  // namespace stage4
