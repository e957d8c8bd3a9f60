// docs/exercises/solutions/04-follow-up-state/client.cpp -- the reference solution of
// exercise 04 (stage 2): a follow-up request, in the state machine. SPOILER: try
// docs/exercises/04-follow-up-state.md first.
//
// Stage 2's client with a second exchange on each connection. Where stage 1 nested a new
// level of callbacks (exercise 01), the state machine reuses its states: after the first
// answer the client goes back to `sending` with the follow-up in unsent_, and
// send_request() and on_data_received() serve the second exchange as they served the
// first. The cost: one member, follow_up_sent_, which on_data_received must read to know
// which answer it holds. Where the request is, is now two members, state_ and
// follow_up_sent_; a third exchange would make it a counter, a conversation a table.
#include "client.hpp"  // this directory's: the check builds the starter's copy the same way

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

namespace exercises {

namespace errors = common::client_errors;
using common::EVENT_READ;
using common::EVENT_WRITE;
using stage2::EventLoop;

namespace {

// What every request of the run shares. It lives in run() until every client is gone,
// so clients may keep a reference to it.
struct Shared {
  EventLoop& loop;
  common::Address address;
  common::Seconds timeout;  // per request, from its start
  common::RunReport& report;
};

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
  void send_follow_up();
  void on_timeout();
  void wait_for(std::uint32_t events);
  void fail(const std::string& error);
  void close();

  const Shared& shared_;
  const int id_;
  State state_ = State::idle;
  common::Fd sock_;
  bool follow_up_sent_ = false;  // the first answer has arrived: this is the second exchange
  std::string unsent_;           // what send_request() has not sent yet
  common::LineFramer framer_{errors::max_response_bytes};  // what has been received
};

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

// Writable while connecting means the connect has finished, one way or the other.
void TcpClient::on_connected() {
  if (int error = common::connect_result(sock_.get()); error != 0) {
    return fail(errors::connect_failed(shared_.address, error));  // e.g. refused
  }
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
  state_ = State::receiving;
  wait_for(EVENT_READ);
}

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
  framer_.feed({buffer.data(), received.bytes});
  if (auto line = framer_.next_line()) {
    if (!follow_up_sent_) {  // the first answer: if it is this request's, on to the second
      auto wrong = common::wrong_answer(common::protocol::request_text(id_), *line);
      return wrong.empty() ? send_follow_up() : fail(wrong);
    }
    close();
    return shared_.report.request_succeeded(id_, std::move(*line), follow_up_text(id_));
  }
  if (framer_.too_long()) {
    return fail(errors::response_too_long(shared_.address, errors::max_response_bytes));
  }
  // Not a whole line yet: stay in `receiving`, the rest comes with a later readable event.
}

// The first answer has arrived: the same socket carries a second request. Back to
// `sending`; send_request() and on_data_received() do the rest, as for the first one.
void TcpClient::send_follow_up() {
  follow_up_sent_ = true;
  unsent_ = follow_up_text(id_) + "\n";
  state_ = State::sending;
  wait_for(EVENT_WRITE);
  send_request();  // the socket is most likely writable right now
}

void TcpClient::on_timeout() {
  fail(errors::timed_out(shared_.timeout.count()));
}

// Asks the loop to call on_ready() when the socket is ready for `events`.
void TcpClient::wait_for(std::uint32_t events) {
  shared_.loop.modify(sock_.get(), events, [this] { on_ready(); });
}

void TcpClient::fail(const std::string& error) {
  close();
  shared_.report.request_failed(id_, error);
}

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

}  // namespace

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

}  // namespace exercises
