// selector.cpp: choosing a backend. The backends are selector_epoll.cpp,
// selector_poll.cpp and selector_select.cpp.
#include "common/selector.hpp"

#include <stdexcept>

namespace common {

// Defined in the backend files.
std::unique_ptr<Selector> make_epoll_selector();
std::unique_ptr<Selector> make_poll_selector();
std::unique_ptr<Selector> make_select_selector();

std::string_view to_string(SelectorKind kind) {
  switch (kind) {
    case SelectorKind::epoll:
      return "epoll";
    case SelectorKind::poll:
      return "poll";
    case SelectorKind::select:
      return "select";
  }
  return "?";
}

bool selector_available(SelectorKind kind) {
#if defined(__linux__)
  (void)kind;
  return true;
#else
  return kind != SelectorKind::epoll;
#endif
}

SelectorKind default_selector_kind() {
  return selector_available(SelectorKind::epoll) ? SelectorKind::epoll : SelectorKind::poll;
}

std::unique_ptr<Selector> make_selector(SelectorKind kind) {
  switch (kind) {
    case SelectorKind::epoll:
      if (!selector_available(kind))
        throw std::runtime_error("epoll is not available on this system");
      return make_epoll_selector();
    case SelectorKind::poll:
      return make_poll_selector();
    case SelectorKind::select:
      return make_select_selector();
  }
  throw std::logic_error("unknown selector kind");
}

}  // namespace common
