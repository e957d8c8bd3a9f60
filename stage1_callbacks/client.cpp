// stage1_callbacks/client.cpp -- Stage 1: nested callbacks on a selector loop.
//
// Stage 0 (stage0_blocking) parked a thread in the kernel for every request: one after
// another, 10 requests of 5 s took 50 s; a thread per request got it to 5 s at the price
// of a thread per connection. Here ONE thread does it all. Every socket is non-blocking,
// so connect, send and recv return at once; instead of waiting, a request tells the loop
// (event_loop.hpp) "when this socket is ready, call this", and the loop waits for all the
// sockets together. 10 requests: 5 s, one thread, one descriptor per request.
//
// The shape of the code is the lesson. make_tcp_request() starts the connect and leaves
// on_connected behind; on_connected sends and leaves on_data_received behind. Every "and
// then" of the blocking client (connect, then send, then read) has become a callback
// nested inside the one before, and what a request needs from one step to the next (its
// socket, its id, the bytes still to send, the bytes received so far) travels in the
// lambdas' captures.
//
// What still hurts (why stage 2 exists):
// - Control is inverted: no function says "connect, send, read". The order exists only in
//   which lambda registers which, and a reader follows it inside out.
// - Errors come at every level, and every level must remember to end the request.
// - State lives in captures. Which lambda owns the socket? All of them (a shared_ptr),
//   because no single one obviously outlives the others. Python's garbage collector hides
//   that question; C++ makes us answer it.
// - One more step (a second request on the connection, a TLS handshake) means one more
//   level of nesting, with its own error checks and its own captures.
// Stage 2 (stage2_state_machine) gives the request's state a home: a class, its members
// and its methods.
#include "stage1_callbacks/client.hpp"

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

namespace stage1 {

namespace errors = common::client_errors;
using common::EVENT_READ;
using common::EVENT_WRITE;

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

// [docs:stage1-make-tcp-request]
void make_tcp_request(const Shared& shared, int id) {
  shared.report.request_started(id);
  const auto deadline =
      common::Clock::now() + std::chrono::duration_cast<common::Clock::duration>(shared.timeout);
  // Every callback of this request needs the socket, and no single one of them outlives
  // the others, so they own it together: each captures a copy of this shared_ptr.
  auto sock = std::make_shared<common::Fd>();
  try {
    *sock = common::make_tcp_socket();                   // non-blocking
    common::start_connect(sock->get(), shared.address);  // usually "in progress"
  } catch (const common::NetError& error) {
    // Only local failures (no fd, no route): a refusal, even on loopback, reaches on_connected.
    shared.report.request_failed(id, error.what());  // e.g. "socket: Too many open files"
    return;
  }

  // Every way this request ends goes through close(), once. Unregister first: the loop
  // forgets the callbacks, so none outlives the socket. Then close: from that moment the
  // kernel may hand the same fd number to the next socket.
  auto close = [&shared, sock] {
    shared.loop.unregister(sock->get());
    sock->reset();
  };
  auto fail = [&shared, close, id](const std::string& error) {
    close();
    shared.report.request_failed(id, error);
  };
  // [/docs]

  // [docs:stage1-on-connected]
  // Writable means the connect has finished, one way or the other.
  auto on_connected = [&shared, sock, id, close, fail] {
    if (int error = common::connect_result(sock->get()); error != 0) {
      return fail(errors::connect_failed(shared.address, error));  // e.g. refused
    }
    shared.report.request_connected(id);  // a mark for --trace
    auto framer = std::make_shared<common::LineFramer>(errors::max_response_bytes);
    // [/docs]

    // [docs:stage1-on-data-received]
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
      shared.report.response_started(id);  // only the first call counts
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
    // [/docs]

    // [docs:stage1-send-request]
    // Send "Request <id>\n". send() may take only part of it (the socket's buffer is
    // full): then the rest waits for the next writable event. One more step after this
    // one (say, a second request) would nest here, one level deeper, with its own error
    // checks and its own captures.
    auto unsent = std::make_shared<std::string>(common::protocol::request_line(id));
    auto send_request = [&shared, sock, id, fail, unsent, on_data_received] {
      common::IoResult sent = common::send_some(sock->get(), *unsent);
      if (sent.status == common::IoStatus::error) {
        return fail(errors::send_failed(shared.address, sent.error));
      }
      unsent->erase(0, sent.bytes);
      if (!unsent->empty()) return;  // stay registered for writable, send the rest then
      shared.report.request_sent(id);
      shared.loop.modify(sock->get(), EVENT_READ, on_data_received);
    };
    shared.loop.modify(sock->get(), EVENT_WRITE, send_request);  // for the rest, if any
    send_request();  // the socket is writable right now: no need to wait for the loop
    // [/docs]
  };

  // [docs:stage1-register]
  shared.loop.register_fd(sock->get(), EVENT_WRITE, on_connected);
  shared.loop.set_deadline(sock->get(), deadline,
                           [&shared, fail] { fail(errors::timed_out(shared.timeout.count())); });
  // make_tcp_request returns here, long before the request is done: the callbacks,
  // held by the loop, carry it on.
}
// [/docs]

}  // namespace

// [docs:stage1-run]
void run(const common::ClientOptions& options, common::RunReport& report) {
  EventLoop loop(options.selector);
  const Shared shared{loop, options.address(), options.timeout(), report};
  for (int id : options.request_ids()) make_tcp_request(shared, id);  // all start now...
  loop.run();  // ...and all finish here, as the loop calls their callbacks
}
// [/docs]

}  // namespace stage1
