// docs/exercises/solutions/02-retry-once/client.cpp -- the reference solution of exercise
// 02 (stage 1): try a failed request once more. SPOILER: try docs/exercises/02-retry-once.md
// first.
//
// Stage 1's client, where make_tcp_request is one attempt. Every failure of an attempt
// already went through one lambda, fail, so the retry is decided in one place:
// give_up_or_retry starts the next attempt (the same function, the same id and deadline)
// or tells the report. The timeout skips it: it ends the request for good. The price is
// in the captures: each callback now carries the attempt number and the deadline too.
#include "client.hpp"  // this directory's: the check builds the starter's copy the same way

#include <array>
#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "common/client_errors.hpp"
#include "common/fd.hpp"
#include "common/line_framer.hpp"
#include "common/net.hpp"
#include "common/protocol.hpp"
#include "stage1_callbacks/event_loop.hpp"

namespace exercises {

namespace errors = common::client_errors;
using common::EVENT_READ;
using common::EVENT_WRITE;
using stage1::EventLoop;

namespace {

// What every request of the run shares. It lives in run() until loop.run() has
// returned, that is, until every callback has run for the last time, so callbacks may
// capture it by reference.
struct Shared {
  EventLoop& loop;
  common::Address address;
  common::Seconds timeout;  // per request, from its start
  common::RunReport& report;
};

constexpr int max_attempts = 2;  // the first try, and once more

void make_tcp_request(const Shared& shared, int id, common::TimePoint deadline, int attempt);

// A request starts here, and so does its --timeout: both attempts share one deadline.
void start_request(const Shared& shared, int id) {
  shared.report.request_started(id);
  const auto deadline =
      common::Clock::now() + std::chrono::duration_cast<common::Clock::duration>(shared.timeout);
  make_tcp_request(shared, id, deadline, 1);
}

// One attempt of request `id`.
void make_tcp_request(const Shared& shared, int id, common::TimePoint deadline, int attempt) {
  // This attempt failed: try once more on a new connection, or end the request. (Called
  // from inside a callback of this attempt, once its socket is closed and unregistered.)
  auto give_up_or_retry = [&shared, id, deadline, attempt](const std::string& error) {
    if (attempt < max_attempts) return make_tcp_request(shared, id, deadline, attempt + 1);
    shared.report.request_failed(id, error);
  };

  // Every callback of this attempt needs the socket, and no single one of them outlives
  // the others, so they own it together: each captures a copy of this shared_ptr.
  auto sock = std::make_shared<common::Fd>();
  try {
    *sock = common::make_tcp_socket();                   // non-blocking
    common::start_connect(sock->get(), shared.address);  // usually "in progress"
  } catch (const common::NetError& error) {
    // Only local failures (no fd, no route): a refusal, even on loopback, reaches on_connected.
    return give_up_or_retry(error.what());  // e.g. "socket: Too many open files"
  }

  // Every way this attempt ends goes through close(), once. Unregister first: the loop
  // forgets the callbacks, so none outlives the socket. Then close: from that moment the
  // kernel may hand the same fd number to the next socket.
  auto close = [&shared, sock] {
    shared.loop.unregister(sock->get());
    sock->reset();
  };
  auto fail = [close, give_up_or_retry](const std::string& error) {
    close();
    give_up_or_retry(error);
  };
  // Out of time: the request ends, whichever attempt it was in.
  auto time_out = [&shared, close, id] {
    close();
    shared.report.request_failed(id, errors::timed_out(shared.timeout.count()));
  };

  // Writable means the connect has finished, one way or the other.
  auto on_connected = [&shared, sock, id, close, fail] {
    if (int error = common::connect_result(sock->get()); error != 0) {
      return fail(errors::connect_failed(shared.address, error));  // e.g. refused
    }
    auto framer = std::make_shared<common::LineFramer>(errors::max_response_bytes);

    // Readable: some bytes (maybe not a whole line), the end of the stream, or an error.
    auto on_data_received = [&shared, sock, id, close, fail, framer] {
      std::array<char, 4096> buffer;
      common::IoResult received = common::recv_some(sock->get(), buffer);
      switch (received.status) {
        case common::IoStatus::would_block:
          return;  // a spurious wake-up: wait for the next one
        case common::IoStatus::error:
          return fail(errors::recv_failed(shared.address, received.error));  // e.g. reset
        case common::IoStatus::closed:
          return fail(errors::closed_early(shared.address));
        case common::IoStatus::ok:
          break;
      }
      framer->feed({buffer.data(), received.bytes});
      if (auto line = framer->next_line()) {
        close();
        return shared.report.request_succeeded(id, std::move(*line));
      }
      if (framer->too_long()) {
        return fail(errors::response_too_long(shared.address, errors::max_response_bytes));
      }
      // Not a whole line yet: stay registered, the rest comes with a later readable event.
    };

    // Send "Request <id>\n". send() may take only part of it (the socket's buffer is
    // full): then the rest waits for the next writable event. One more step after this
    // one (say, a second request) would nest here, one level deeper, with its own error
    // checks and its own captures.
    auto unsent = std::make_shared<std::string>(common::protocol::request_line(id));
    auto send_request = [&shared, sock, fail, unsent, on_data_received] {
      common::IoResult sent = common::send_some(sock->get(), *unsent);
      if (sent.status == common::IoStatus::error) {
        return fail(errors::send_failed(shared.address, sent.error));
      }
      unsent->erase(0, sent.bytes);
      if (!unsent->empty()) return;  // stay registered for writable, send the rest then
      shared.loop.modify(sock->get(), EVENT_READ, on_data_received);
    };
    shared.loop.modify(sock->get(), EVENT_WRITE, send_request);  // for the rest, if any
    send_request();  // the socket is writable right now: no need to wait for the loop
  };

  shared.loop.register_fd(sock->get(), EVENT_WRITE, on_connected);
  shared.loop.set_deadline(sock->get(), deadline, time_out);  // may be past: fires at once
  // make_tcp_request returns here, long before the request is done: the callbacks,
  // held by the loop, carry it on.
}

}  // namespace

void run(const common::ClientOptions& options, common::RunReport& report) {
  EventLoop loop(options.selector);
  const Shared shared{loop, options.address(), options.timeout(), report};
  for (int id : options.request_ids()) start_request(shared, id);  // all start now...
  loop.run();  // ...and all finish here, as the loop calls their callbacks
}

}  // namespace exercises
