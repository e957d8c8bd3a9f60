// docs/exercises/solutions/01-follow-up/client.cpp -- the reference solution of exercise 01
// (stage 1): a follow-up request. SPOILER: try docs/exercises/01-follow-up.md first.
//
// Stage 1's client, with a second exchange on each connection. The send-then-read steps
// of stage 1 moved into one function, send_then_read, so that the follow-up does not
// repeat them; even so the nesting grows: the follow-up is a callback inside the callback
// that receives the first answer, and a third request would nest one level deeper still.
// What the request needs on the way (its socket, its framer, fail, close) is threaded
// through every level by hand.
#include "client.hpp"  // this directory's: the check builds the starter's copy the same way

#include <array>
#include <chrono>
#include <functional>
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

using Fail = std::function<void(const std::string&)>;
using OnAnswer = std::function<void(std::string)>;

// One exchange on a connected socket: send `line`, read one answer line, then call
// `on_answer` with it (the socket stays registered: on_answer closes it or goes on).
// Every error goes to `fail`. The framer belongs to the connection, not to one exchange:
// TCP is a byte stream, and what arrived after the first answer belongs to the second.
void send_then_read(const Shared& shared, const std::shared_ptr<common::Fd>& sock,
                    const std::shared_ptr<common::LineFramer>& framer, std::string line,
                    const Fail& fail, const OnAnswer& on_answer) {
  // Readable: some bytes (maybe not a whole line), the end of the stream, or an error.
  auto on_data_received = [&shared, sock, fail, framer, on_answer] {
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
    if (auto line = framer->next_line()) return on_answer(std::move(*line));
    if (framer->too_long()) {
      return fail(errors::response_too_long(shared.address, errors::max_response_bytes));
    }
    // Not a whole line yet: stay registered, the rest comes with a later readable event.
  };

  // send() may take only part of the line: the rest waits for the next writable event.
  auto unsent = std::make_shared<std::string>(std::move(line));
  auto send_request = [&shared, sock, fail, unsent, on_data_received] {
    common::IoResult sent = common::send_some(sock->get(), *unsent);
    if (sent.status == common::IoStatus::error) {
      return fail(errors::send_failed(shared.address, sent.error));
    }
    unsent->erase(0, sent.bytes);
    if (!unsent->empty()) return;  // stay registered for writable, send the rest then
    shared.loop.modify(sock->get(), EVENT_READ, on_data_received);
  };
  // This may replace the very callback that is running (on_data_received of the exchange
  // before): the loop allows it, it holds the running callback aside until it returns.
  shared.loop.modify(sock->get(), EVENT_WRITE, send_request);
  send_request();  // the socket is writable right now: no need to wait for the loop
}

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

  // Writable means the connect has finished, one way or the other.
  auto on_connected = [&shared, sock, id, close, fail] {
    if (int error = common::connect_result(sock->get()); error != 0) {
      return fail(errors::connect_failed(shared.address, error));  // e.g. refused
    }
    auto framer = std::make_shared<common::LineFramer>(errors::max_response_bytes);
    // The first exchange; its answer arrives in a callback...
    send_then_read(shared, sock, framer, common::protocol::request_line(id), fail,
                   [&shared, sock, framer, id, close, fail](std::string first) {
                     // Only this request's answer leads on (the report checks the second).
                     auto wrong = common::wrong_answer(common::protocol::request_text(id), first);
                     if (!wrong.empty()) return fail(wrong);
                     // ...inside which the follow-up starts, one level deeper; its answer
                     // arrives in a callback inside that one.
                     send_then_read(shared, sock, framer, follow_up_text(id) + "\n", fail,
                                    [&shared, id, close](std::string second) {
                                      close();
                                      shared.report.request_succeeded(id, std::move(second),
                                                                      follow_up_text(id));
                                    });
                   });
  };

  shared.loop.register_fd(sock->get(), EVENT_WRITE, on_connected);
  // The deadline stays with the fd through every modify(): it covers both exchanges.
  shared.loop.set_deadline(sock->get(), deadline,
                           [&shared, fail] { fail(errors::timed_out(shared.timeout.count())); });
}

}  // namespace

void run(const common::ClientOptions& options, common::RunReport& report) {
  EventLoop loop(options.selector);
  const Shared shared{loop, options.address(), options.timeout(), report};
  for (int id : options.request_ids()) make_tcp_request(shared, id);  // all start now...
  loop.run();  // ...and all finish here, as the loop calls their callbacks
}

}  // namespace exercises
