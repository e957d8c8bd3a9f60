// fd.hpp: the owner of one file descriptor.
//
// Python closes a socket when its object is garbage-collected (or at the end of a
// `with` block). In C++ we say it ourselves: an Fd closes its descriptor in its
// destructor, cannot be copied (two owners would close it twice) and can be moved
// (ownership passes on, the moved-from Fd owns nothing).
#pragma once

#include <string>
#include <utility>

namespace common {

class Fd {
 public:
  Fd() noexcept = default;
  explicit Fd(int fd) noexcept : fd_(fd) {}
  ~Fd() { reset(); }

  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) reset(std::exchange(other.fd_, -1));
    return *this;
  }

  int get() const noexcept { return fd_; }
  explicit operator bool() const noexcept { return fd_ >= 0; }

  // Gives the descriptor away: the caller now closes it.
  int release() noexcept { return std::exchange(fd_, -1); }
  // Closes the descriptor held (if any) and holds `fd` instead.
  void reset(int fd = -1) noexcept;

 private:
  int fd_ = -1;
};

// strerror() as a std::string, safe to call from several threads.
std::string errno_text(int error);

}  // namespace common
