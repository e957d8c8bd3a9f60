// server_accept.cpp: accepting clients, a batch per turn, up to --max-connections; and
// pausing when the process is out of descriptors (EMFILE), instead of spinning.
#include <sys/socket.h>

#include <cerrno>

#include "common/net.hpp"
#include "slow_server/server_impl.hpp"

namespace slow_server {
namespace {

// Accept at most this many clients per wake-up, so a flood of connects cannot starve
// the clients already connected (the listener stays ready; we come back next turn).
constexpr int accept_batch = 256;
// After EMFILE/ENFILE, leave the listener alone this long (unless a connection closes
// first): accept() would fail again at once, and the loop would spin at 100% CPU.
constexpr std::chrono::milliseconds accept_pause{100};

}  // namespace

void Server::Impl::accept_clients() {
  for (int i = 0; i < accept_batch && !accept_paused; ++i) {
    sockaddr_in peer{};
    socklen_t length = sizeof peer;
    int fd = ::accept4(listener.get(), reinterpret_cast<sockaddr*>(&peer), &length,
                       SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      switch (errno) {
        case EAGAIN:
#if EAGAIN != EWOULDBLOCK
        case EWOULDBLOCK:
#endif
          return;  // nobody else is waiting
        case EINTR:
        case ECONNABORTED:  // the client gave up while in the queue
        case EPROTO:
        case ENETDOWN:
        case ENOPROTOOPT:
        case EHOSTDOWN:
        case EHOSTUNREACH:
        case ENETUNREACH:
          continue;  // that one client's problem: try the next
        default:
          pause_accepting(errno);  // EMFILE, ENFILE, ENOBUFS, ENOMEM, or worse
          return;
      }
    }
    common::Fd socket(fd);
    if (connections.size() >= options.max_connections) {
      ++counters.connections_refused;  // Fd's destructor closes it: the client sees EOF
      if (options.verbose) log << "refused a connection: --max-connections reached\n";
      continue;
    }
    try {
      open_connection(std::move(socket), peer);
    } catch (const std::bad_alloc&) {  // nothing was registered: the socket just closes
      ++counters.allocation_failures;
      ++counters.connections_refused;
    }
  }
}

void Server::Impl::open_connection(common::Fd socket, const sockaddr_in& peer) {
  const std::uint64_t accepted = counters.connections_accepted + 1;
  const bool faulty = options.fault != Fault::none && accepted % options.fault_every == 0;
  const std::uint64_t serial = next_serial++;
  // Allocate first (a bad_alloc leaves nothing behind), then register with the selector.
  auto [slot, added] = connections.emplace(
      serial, std::make_unique<Connection>(serial, std::move(socket), peer, faulty, now));
  Connection& connection = *slot->second;
  try {
    watch(connection, common::EVENT_READ);
  } catch (const std::bad_alloc&) {
    connections.erase(slot);
    throw;
  } catch (const std::exception& error) {  // select(): fd >= FD_SETSIZE
    connections.erase(slot);
    ++counters.connections_refused;
    if (!warned_unwatchable || options.verbose)  // once: a flood would flood the log too
      log << "slow_server: refusing connections: " << error.what() << "\n";
    warned_unwatchable = true;
    return;
  }
  ++counters.connections_accepted;
  ++counters.open_connections;
  note(connection, faulty ? "accepted (the --fault applies to it)" : "accepted");
  guarded(connection, [&] { settle(connection); });  // its first deadline: the idle check
}

void Server::Impl::pause_accepting(int error) {
  ++counters.accept_pauses;
  if (options.verbose)
    log << "accept: " << common::errno_text(error) << "; not accepting for 100 ms\n";
  selector->unregister(listener.get());
  accept_paused = true;
  accept_resume = now + accept_pause;
}

void Server::Impl::resume_accepting() {
  if (!accept_paused || stopping || draining) return;
  accept_paused = false;
  accept_resume.reset();
  selector->register_fd(listener.get(), common::EVENT_READ, &listener_tag);
}

}  // namespace slow_server
