#include "tests/support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <stdexcept>

#include "common/net.hpp"

extern char** environ;

namespace test_support {

namespace {

std::array<common::Fd, 2> make_pipe() {
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0) throw common::NetError("pipe", errno);
  return {common::Fd(ends[0]), common::Fd(ends[1])};
}

}  // namespace

Process::Process(const std::vector<std::string>& argv) {
  auto [out_read, out_write] = make_pipe();
  auto [err_read, err_write] = make_pipe();
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_adddup2(&actions, out_write.get(), 1);  // dup2 clears CLOEXEC
  ::posix_spawn_file_actions_adddup2(&actions, err_write.get(), 2);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  int status = ::posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  if (status != 0) throw common::NetError("posix_spawn " + argv.at(0), status);
  out_ = std::move(out_read);
  err_ = std::move(err_read);
}

Process::~Process() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

void Process::send_signal(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

bool Process::read_some(common::TimePoint deadline) {
  std::array<pollfd, 2> fds{pollfd{out_.get(), POLLIN, 0}, pollfd{err_.get(), POLLIN, 0}};
  if (!out_ && !err_) return false;
  auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - common::Clock::now());
  if (left.count() <= 0) return false;
  if (::poll(fds.data(), fds.size(), static_cast<int>(left.count())) < 0) return errno == EINTR;
  std::array<common::Fd*, 2> pipes{&out_, &err_};
  std::array<std::string*, 2> texts{&out_text_, &err_text_};
  for (std::size_t i = 0; i < fds.size(); ++i) {
    if (fds[i].fd < 0 || fds[i].revents == 0) continue;
    char buffer[4096];
    ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
    if (got > 0) {
      texts[i]->append(buffer, static_cast<std::size_t>(got));
    } else if (got == 0 || errno != EINTR) {
      pipes[i]->reset();  // end of this pipe: poll() ignores the -1 from now on
    }
  }
  return true;
}

std::optional<std::string> Process::read_line(common::Seconds timeout) {
  auto deadline = common::Clock::now() + std::chrono::ceil<common::Clock::duration>(timeout);
  for (;;) {
    if (auto newline = out_text_.find('\n', lines_read_); newline != std::string::npos) {
      std::string line = out_text_.substr(lines_read_, newline - lines_read_);
      lines_read_ = newline + 1;
      return line;
    }
    if (!out_ || !read_some(deadline)) return std::nullopt;
  }
}

Finished Process::finish(common::Seconds timeout) {
  auto deadline = common::Clock::now() + std::chrono::ceil<common::Clock::duration>(timeout);
  while ((out_ || err_) && read_some(deadline)) {
  }
  Finished finished;
  finished.timed_out = out_ || err_;
  if (finished.timed_out) ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  finished.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  finished.out = out_text_;
  finished.err = err_text_;
  return finished;
}

Finished run(const std::vector<std::string>& argv, common::Seconds timeout) {
  return Process(argv).finish(timeout);
}

}  // namespace test_support
