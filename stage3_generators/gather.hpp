// gather.hpp: asyncio.gather(tasks): done when every task is, or failed with the first failure.
#pragma once
#include "stage3_generators/task.hpp"

namespace stage3 {
template <typename T>
std::shared_ptr<Future<void>> gather(const std::vector<std::shared_ptr<Task<T>>>& tasks) {
  struct Gathering : Future<void> {  // the future, and how many tasks are left
    using Future<void>::Future;
    std::size_t left = 0;
  };
  auto all = std::make_shared<Gathering>("gather");
  all->left = tasks.size();
  if (tasks.empty()) all->set_result();
  for (const auto& task : tasks) {
    task->add_done_callback([all, task = task.get()] {  // the task runs it: it is alive
      if (all->done()) return;  // an earlier task failed: that is what gather reports
      if (task->failed()) return all->set_exception(task->exception());
      if (--all->left == 0) all->set_result();
    });
  }
  return all;
}
}  // namespace stage3
