#include "common/fd.hpp"

#include <unistd.h>

#include <cstring>

namespace common {

void Fd::reset(int fd) noexcept {
  if (fd_ >= 0) ::close(fd_);  // close() errors on a socket tell us nothing we can act on
  fd_ = fd;
}

std::string errno_text(int error) {
  char buffer[256];
  // GNU strerror_r returns the message (maybe not in buffer); POSIX returns an int.
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
  return ::strerror_r(error, buffer, sizeof buffer);
#else
  if (::strerror_r(error, buffer, sizeof buffer) != 0) return "error " + std::to_string(error);
  return buffer;
#endif
}

}  // namespace common
