#include "common/child_process.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#if __has_include(<malloc.h>)
#include <malloc.h>  // malloc_trim (glibc)
#endif

#include <cerrno>
#include <csignal>
#include <stdexcept>
#include <thread>

#include "common/fd.hpp"

namespace common {

namespace {

// An anonymous temporary file, closed on exec: only the descriptor we dup2() onto the
// child's stdout or stderr crosses into it, not every other child's files.
std::FILE* temporary_file() {
  std::FILE* file = std::tmpfile();
  if (file == nullptr) throw std::runtime_error("tmpfile: " + errno_text(errno));
  ::fcntl(::fileno(file), F_SETFD, FD_CLOEXEC);
  return file;
}

std::string read_all(std::FILE* file) {
  std::string text;
  char buffer[65536];
  for (off_t offset = 0;;) {
    ssize_t got = ::pread(::fileno(file), buffer, sizeof buffer, offset);
    if (got <= 0) return text;
    text.append(buffer, static_cast<std::size_t>(got));
    offset += got;
  }
}

double seconds(const timeval& time) {
  return static_cast<double>(time.tv_sec) + time.tv_usec / 1e6;
}

}  // namespace

std::string ChildResult::how_it_ended() const {
  if (timed_out) return "killed when its time limit passed";
  if (signal != 0) return "killed by signal " + std::to_string(signal);
  return "exit " + std::to_string(exit_code);
}

Child::Child(const std::vector<std::string>& argv) {
  out_ = temporary_file();
  err_ = temporary_file();
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);

  // Why fork() and not posix_spawn() (which uses vfork, sharing our memory until exec):
  // the kernel's peak RSS of a process (ru_maxrss) includes the memory it had *before*
  // exec. A vfork child has ours, at our peak, and would report it as its own; a fork
  // child has a copy of only what we hold now, and malloc_trim() makes that little.
#if defined(__GLIBC__)
  ::malloc_trim(0);
#endif
  int exec_failed[2];  // the child writes errno here if exec fails; closed by a good exec
  if (::pipe2(exec_failed, O_CLOEXEC) != 0) throw std::runtime_error("pipe: " + errno_text(errno));
  start_ = Clock::now();
  pid_ = ::fork();
  if (pid_ == 0) {  // the child: only async-signal-safe calls until exec
    int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, 0);
    ::dup2(::fileno(out_), 1);
    ::dup2(::fileno(err_), 2);
    ::execvp(args[0], args.data());
    int error = errno;
    (void)!::write(exec_failed[1], &error, sizeof error);
    ::_exit(127);
  }
  ::close(exec_failed[1]);
  int error = pid_ < 0 ? errno : 0;
  if (pid_ > 0 && ::read(exec_failed[0], &error, sizeof error) == sizeof error) {
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  ::close(exec_failed[0]);
  if (error != 0) {
    pid_ = -1;
    std::fclose(out_);
    std::fclose(err_);
    throw std::runtime_error("cannot start " + argv[0] + ": " + errno_text(error));
  }
}

Child::~Child() {
  if (pid_ > 0) stop();
  std::fclose(out_);
  std::fclose(err_);
}

std::optional<std::string> Child::read_line(Seconds limit) {
  auto deadline = Clock::now() + std::chrono::ceil<Clock::duration>(limit);
  while (Clock::now() < deadline) {
    std::string text = read_all(out_);
    if (auto end = text.find('\n', lines_read_); end != std::string::npos) {
      std::string line = text.substr(lines_read_, end - lines_read_);
      lines_read_ = end + 1;
      return line;
    }
    // Exited already? (WNOWAIT: look, but leave it for wait() to reap.)
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid_)
      return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return std::nullopt;
}

void Child::send_signal(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

ChildResult Child::wait(Seconds limit) {
  ChildResult result;
  auto deadline = Clock::now() + std::chrono::ceil<Clock::duration>(limit);
  int status = 0;
  rusage usage{};
  // Poll every millisecond rather than block, so that a child that hangs can be killed.
  for (;;) {
    pid_t reaped = ::wait4(pid_, &status, WNOHANG, &usage);
    if (reaped == pid_) break;
    if (reaped < 0 && errno != EINTR) throw std::runtime_error("wait4: " + errno_text(errno));
    if (Clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      result.timed_out = true;
      ::wait4(pid_, &status, 0, &usage);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  pid_ = -1;
  result.wall_seconds = Seconds(Clock::now() - start_).count();
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  result.user_seconds = seconds(usage.ru_utime);
  result.system_seconds = seconds(usage.ru_stime);
  result.peak_rss_bytes = usage.ru_maxrss * 1024L;  // KiB on Linux
  result.out = read_all(out_);
  result.err = read_all(err_);
  return result;
}

ChildResult Child::stop() {
  ::kill(pid_, SIGTERM);
  ChildResult result = wait(Seconds(5));
  return result;
}

ChildResult run_child(const std::vector<std::string>& argv, Seconds limit) {
  try {
    Child child(argv);
    return child.wait(limit);
  } catch (const std::runtime_error& error) {
    ChildResult result;
    result.exit_code = 127;
    result.err = error.what();
    return result;
  }
}

}  // namespace common
