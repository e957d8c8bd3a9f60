// task.cpp: what a task asks of its event loop (task.hpp).
#include "stage3_generators/task.hpp"

#include "stage3_generators/event_loop.hpp"

namespace stage3 {

std::string TaskBase::name() const {
  return name_ ? *name_ : "Task-" + std::to_string(number_);
}

// [docs:stage3-task-wait-for]
// Python: `next_future.add_done_callback(self.step)`. Two differences: the task registers
// itself (a Waiter: one pointer, no std::function), and wake_up does not step at once: it
// schedules the step on the loop, so a future resolved deep inside an I/O callback never
// runs a generator there.
void TaskBase::wait_for(FutureBase& future) {
  if (tracing()) trace("yield", name() + " waits for " + future.name());
  future.add_waiter(*this);
}

void TaskBase::wake_up(FutureBase& future) {
  if (tracing()) trace("resolved", std::string(future.name()) + " -> " + name() + " is ready");
  loop_.schedule(*this);
}
// [/docs]

void TaskBase::finished() {
  std::shared_ptr<TaskBase> keep_alive = loop_.release(*this);
}  // the loop has let go; if nobody else holds this task, it is destroyed here

bool TaskBase::tracing() const {
  return loop_.tracing();
}

void TaskBase::trace(const char* event, const std::string& detail) const {
  loop_.trace(event, detail);
}

}  // namespace stage3
