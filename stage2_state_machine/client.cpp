// stage2_state_machine/client.cpp -- Stage 2: a class-based state machine per request.
//
// Stage 1 (stage1_callbacks) wrote a request as callbacks nested in callbacks, its state
// scattered over the lambdas' captures: the socket in a shared_ptr every lambda held a
// copy of, the bytes to send and the bytes received in more shared_ptrs. Here the same
// request is an object, the article's BasicTCPClient, as a C++ class, TcpClient:
// - what a request carries from one step to the next is members: sock_, unsent_, framer_;
// - each step is a method: make_tcp_request, on_connected, send_request,
//   on_data_received, on_timeout;
// - where the request is, is one member, state_ (idle, connecting, sending, receiving,
//   done), and on_ready(), the only callback the loop knows, picks the step from it. That
//   switch is the state machine, in plain sight.
// Ownership is plain too: run() owns the clients, a client owns its socket, the loop
// holds only `this` in a callback, and a client that dies early takes its callback back.
// Options, output, errors and exit codes are stage 1's, exactly; the loop is stage 1's.
//
// What still hurts: "connect, then send, then read" is still written nowhere. It is the
// transitions (state_ = State::sending ...) scattered over the methods. A local variable
// that must survive a wait has to become a member, and every new step is a new state, a
// new method and new members.
//
// This is the end of the road for many languages. Java NIO code attaches a handler object
// like this one to each SelectionKey; C++ before C++20 wrote exactly this (Asio's handler
// classes, hand-written state machines); callback-style Node keeps per-connection state in
// objects whose 'data' and 'end' handlers are these methods. What changes the picture is a
// function that can stop in the middle and resume later: Python's generators, C++20's
// coroutines. The compiler then turns one straight-line function into this class for us:
// its frame holds what were our members, its resume point is our state_. Stage 3
// (stage3_generators) builds that by hand from a generator; stage 4 (stage4_coroutines)
// lets co_await write it.
#include "stage2_state_machine/client.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/client_errors.hpp"
#include "common/fd.hpp"
#include "common/line_framer.hpp"
#include "common/net.hpp"
#include "common/protocol.hpp"
#include "stage2_state_machine/event_loop.hpp"

namespace stage2 {

namespace errors = common::client_errors;
using common::EVENT_READ;
using common::EVENT_WRITE;

namespace {

// What every request of the run shares. It lives in run() until every client is gone,
// so clients may keep a reference to it.
struct Shared {
  EventLoop& loop;
  common::Address address;
  common::Seconds timeout;  // per request, from its start
  common::RunReport& report;
};

// [docs:stage2-tcp-client]
// One request, from connect to answer. It never moves or copies: the loop holds `this`.
class TcpClient {
 public:
  TcpClient(const Shared& shared, int id) : shared_(shared), id_(id) {}
  ~TcpClient();
  TcpClient(const TcpClient&) = delete;
  TcpClient& operator=(const TcpClient&) = delete;

  void make_tcp_request();

 private:
  // The loop knows this client (it is registered) exactly while it is connecting,
  // sending or receiving.
  enum class State { idle, connecting, sending, receiving, done };

  void on_ready();  // the loop's one callback for this client: picks the step from state_
  void on_connected();
  void send_request();
  void on_data_received();
  void on_timeout();
  void watch(std::uint32_t events);
  void fail(const std::string& error);
  void close();

  const Shared& shared_;
  const int id_;
  State state_ = State::idle;
  common::Fd sock_;
  std::string unsent_;                                     // what send_request() has not sent yet
  common::LineFramer framer_{errors::max_response_bytes};  // what has been received
};
// [/docs]

// [docs:stage2-make-tcp-request]
void TcpClient::make_tcp_request() {
  shared_.report.request_started(id_);
  const auto deadline =
      common::Clock::now() + std::chrono::duration_cast<common::Clock::duration>(shared_.timeout);
  try {
    sock_ = common::make_tcp_socket();                    // non-blocking
    common::start_connect(sock_.get(), shared_.address);  // usually "in progress"
  } catch (const common::NetError& error) {
    // Only local failures (no fd, no route): a refusal, even on loopback, reaches on_connected.
    sock_.reset();
    state_ = State::done;
    shared_.report.request_failed(id_, error.what());  // e.g. "socket: Too many open files"
    return;
  }
  shared_.loop.register_fd(sock_.get(), EVENT_WRITE, [this] { on_ready(); });
  shared_.loop.set_deadline(sock_.get(), deadline, [this] { on_timeout(); });
  state_ = State::connecting;
}
// [/docs]

// [docs:stage2-on-ready]
void TcpClient::on_ready() {
  switch (state_) {
    case State::connecting:
      return on_connected();
    case State::sending:
      return send_request();
    case State::receiving:
      return on_data_received();
    case State::idle:
    case State::done:
      return;  // cannot happen: the loop does not know the client in these states
  }
}
// [/docs]

// [docs:stage2-on-connected]
// Writable while connecting means the connect has finished, one way or the other.
void TcpClient::on_connected() {
  if (int error = common::connect_result(sock_.get()); error != 0) {
    return fail(errors::connect_failed(shared_.address, error));  // e.g. refused
  }
  shared_.report.request_connected(id_);  // a mark for --trace
  state_ = State::sending;
  unsent_ = common::protocol::request_line(id_);
  send_request();  // the socket is writable right now: no need to wait for the loop
}

// send() may take only part of "Request <id>\n" (the socket's buffer is full): then we
// stay in `sending`, and the next writable event brings us back here for the rest.
void TcpClient::send_request() {
  common::IoResult sent = common::send_some(sock_.get(), unsent_);
  if (sent.status == common::IoStatus::error) {
    return fail(errors::send_failed(shared_.address, sent.error));
  }
  unsent_.erase(0, sent.bytes);
  if (!unsent_.empty()) return;
  shared_.report.request_sent(id_);
  state_ = State::receiving;
  watch(EVENT_READ);
}
// [/docs]

// [docs:stage2-on-data-received]
// Readable: some bytes (maybe not a whole line), the end of the stream, or an error.
void TcpClient::on_data_received() {
  std::array<char, 4096> buffer;
  common::IoResult received = common::recv_some(sock_.get(), buffer);
  switch (received.status) {
    case common::IoStatus::would_block:
      return;  // a spurious wake-up: wait for the next one
    case common::IoStatus::error:
      return fail(errors::recv_failed(shared_.address, received.error));  // e.g. reset
    case common::IoStatus::closed:
      return fail(errors::closed_early(shared_.address));
    case common::IoStatus::ok:
      break;
  }
  shared_.report.response_started(id_);  // only the first call counts
  framer_.feed({buffer.data(), received.bytes});
  if (auto line = framer_.next_line()) {
    close();
    return shared_.report.request_succeeded(id_, std::move(*line));
  }
  if (framer_.too_long()) {
    return fail(errors::response_too_long(shared_.address, errors::max_response_bytes));
  }
  // Not a whole line yet: stay in `receiving`, the rest comes with a later readable event.
}
// [/docs]

void TcpClient::on_timeout() {
  fail(errors::timed_out(shared_.timeout.count()));
}

// Watches the socket for `events` from now on: the loop calls on_ready() when it is ready.
void TcpClient::watch(std::uint32_t events) {
  shared_.loop.modify(sock_.get(), events, [this] { on_ready(); });
}

void TcpClient::fail(const std::string& error) {
  close();
  shared_.report.request_failed(id_, error);
}

// [docs:stage2-close]
// Every way a request ends goes through close(), once. Unregister first: the loop forgets
// the callback, so it cannot run on a closed socket. Then close: from that moment the
// kernel may hand the same fd number to the next socket.
void TcpClient::close() {
  shared_.loop.unregister(sock_.get());
  sock_.reset();
  state_ = State::done;
}

// A client destroyed while the loop still knows it (an exception left run() early) takes
// its callback back, so the loop never calls into a dead object.
TcpClient::~TcpClient() {
  if (state_ != State::idle && state_ != State::done) shared_.loop.unregister(sock_.get());
}
// [/docs]

}  // namespace

// [docs:stage2-run]
void run(const common::ClientOptions& options, common::RunReport& report) {
  EventLoop loop(options.selector);
  const Shared shared{loop, options.address(), options.timeout(), report};
  // Declared after the loop, so destroyed before it. unique_ptr: a client never moves.
  std::vector<std::unique_ptr<TcpClient>> clients;
  clients.reserve(static_cast<std::size_t>(options.requests));
  for (int id : options.request_ids()) {
    clients.push_back(std::make_unique<TcpClient>(shared, id));
    clients.back()->make_tcp_request();  // all start now...
  }
  loop.run();  // ...and all finish here, as the loop calls their methods
}
// [/docs]

}  // namespace stage2
