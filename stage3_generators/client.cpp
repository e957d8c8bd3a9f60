// stage3_generators/client.cpp -- Stage 3: one linear generator per request.
//
// Stage 2 (stage2_state_machine) made a request an object: members for what must survive
// a wait, one method per step, and a state_ member with a switch to pick the step. The
// order "connect, then send, then read" was written nowhere but in the transitions.
//
// Here a request is written in that order, as one function: make_tcp_request connects,
// yields the connect future, sends, yields receive futures until a whole line has arrived,
// and returns the line. At each co_yield the function stops; its locals (the connection,
// the framer) wait in its coroutine frame; when the future is done, the function goes on
// from that line. The state machine of stage 2 is still there, but the compiler writes it:
// the frame holds what were the members, the resume point is what was state_.
// Four players make it go, one header each:
//   generator.hpp   a function that can stop and resume, and delegate (`yield from`);
//   future.hpp      a result that is not there yet, with done-callbacks;
//   task.hpp        drives one generator: it waits for each future the generator
//                   yields, and takes the next step when that future is done;
//   event_loop.hpp  the queue of ready tasks, the timers and the Selector.
// Errors surface where they happened: a failed connect fails the connect future, and
// `connected->result()`, the line after the co_yield, throws it inside the generator, where
// an ordinary try/catch (in consume_response) handles it. A timeout arrives the same way.
// And requests compose like functions: consume_response delegates to make_tcp_request with
// `co_yield yield_from(...)`, Python's `yield from`, and gets its return value back.
// Options, output, errors and exit codes are stage 1's and 2's; --trace-loop shows the
// dance (docs/03-generators.md walks through it).
//
// What still hurts: the machinery is ours, and it shows. Every wait is two statements
// (co_yield the future, then read its result) because co_yield cannot hand back the
// future's value: every generator yields one type, FuturePtr, whatever the future holds.
// Delegation is a marker and a loop we wrote (Generator::next), and nothing stops a
// generator from yielding something its Task cannot wait for. Stage 4 (stage4_coroutines)
// says `co_await` instead: the awaited future's type decides what the expression returns,
// the compiler chains one coroutine to the next, and a Task is itself the coroutine.
#include "stage3_generators/client.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/client_errors.hpp"
#include "common/fd.hpp"
#include "common/line_framer.hpp"
#include "common/net.hpp"
#include "common/protocol.hpp"
#include "stage3_generators/event_loop.hpp"
#include "stage3_generators/future.hpp"
#include "stage3_generators/generator.hpp"
#include "stage3_generators/task.hpp"

namespace stage3 {

namespace errors = common::client_errors;
using common::EVENT_READ;
using common::EVENT_WRITE;

namespace {

// A request that went wrong, in client_errors' words. consume_response catches these;
// anything else (the select backend refusing fd >= FD_SETSIZE) stops the whole run.
class RequestError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::exception_ptr request_error(const std::string& message) {
  return std::make_exception_ptr(RequestError(message));
}

// What every request of the run shares. It lives in run() while the loop runs.
struct Shared {
  EventLoop& loop;
  common::Address address;
  double timeout_seconds;  // per request, from its start
  common::RunReport& report;
};

// The socket of one request, and the futures it waits on. The article's make_tcp_request
// registers callbacks with the selector inline; these few methods gather those lines: each
// waits until the socket is ready, and its callback (on_connected, on_data_received...)
// does the I/O and resolves the future. A Connection also holds the request's deadline:
// when it passes, the future being waited for fails with timed_out.
// Owned by make_tcp_request's frame (the deadline keeps only a weak_ptr), it dies with it.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  static std::shared_ptr<Connection> open(EventLoop& loop, const common::Address& address,
                                          double timeout_seconds);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  std::shared_ptr<Future<void>> connect();
  std::shared_ptr<Future<std::size_t>> send(std::string_view bytes);  // how many went out
  std::shared_ptr<Future<std::string>> receive();  // the next bytes ("" if none yet)

 private:
  Connection(EventLoop& loop, const common::Address& address, double timeout_seconds)
      : loop_(loop), address_(address), timeout_seconds_(timeout_seconds) {}

  void when_ready(std::uint32_t events, FuturePtr future, EventLoop::Callback on_ready);
  void on_connected(Future<void>& connected);
  void on_ready_to_send(Future<std::size_t>& sent, std::string_view bytes);
  void on_data_received(Future<std::string>& received);
  void on_deadline();

  EventLoop& loop_;
  const common::Address address_;
  const double timeout_seconds_;
  common::Fd sock_;
  FuturePtr waiting_;  // the future the loop will resolve when the socket is ready
  bool timed_out_ = false;
};

std::shared_ptr<Connection> Connection::open(EventLoop& loop, const common::Address& address,
                                             double timeout_seconds) {
  std::shared_ptr<Connection> connection(new Connection(loop, address, timeout_seconds));
  // The timer holds a weak_ptr: a request that finished in time is gone when it fires.
  loop.call_later(timeout_seconds, [weak = connection->weak_from_this()] {
    if (auto alive = weak.lock()) alive->on_deadline();
  });
  return connection;
}

// The loop must forget the socket before it is closed: its fd number may be reused at once.
Connection::~Connection() {
  if (waiting_) loop_.cancel_when_ready(sock_.get());
}

std::shared_ptr<Future<void>> Connection::connect() {
  auto connected = std::make_shared<Future<void>>("connect");
  try {
    sock_ = common::make_tcp_socket();  // non-blocking
    if (common::start_connect(sock_.get(), address_) == common::ConnectStatus::connected) {
      connected->set_result();
      return connected;
    }
  } catch (const common::NetError& error) {  // no socket, or refused at once (loopback does)
    connected->set_exception(request_error(error.what()));
    return connected;
  }
  when_ready(EVENT_WRITE, connected, [this, connected] { on_connected(*connected); });
  return connected;
}

std::shared_ptr<Future<std::size_t>> Connection::send(std::string_view bytes) {
  auto sent = std::make_shared<Future<std::size_t>>("send");
  when_ready(EVENT_WRITE, sent, [this, sent, bytes] { on_ready_to_send(*sent, bytes); });
  return sent;
}

std::shared_ptr<Future<std::string>> Connection::receive() {
  auto received = std::make_shared<Future<std::string>>("recv");
  when_ready(EVENT_READ, received, [this, received] { on_data_received(*received); });
  return received;
}

// Asks the loop to call `on_ready` once the socket is ready for `events`. Until then,
// `future` is what the deadline fails.
void Connection::when_ready(std::uint32_t events, FuturePtr future, EventLoop::Callback on_ready) {
  if (timed_out_) return future->set_exception(request_error(errors::timed_out(timeout_seconds_)));
  loop_.call_when_ready(sock_.get(), events, [this, on_ready = std::move(on_ready)] {
    waiting_ = nullptr;  // the loop has already forgotten the fd
    on_ready();
  });
  waiting_ = std::move(future);
}

// [docs:stage3-on-connected]
// Writable while connecting means the connect has finished, one way or the other.
void Connection::on_connected(Future<void>& connected) {
  if (int error = common::connect_result(sock_.get()); error != 0) {
    return connected.set_exception(request_error(errors::connect_failed(address_, error)));
  }
  connected.set_result();
}
// [/docs]

void Connection::on_ready_to_send(Future<std::size_t>& sent, std::string_view bytes) {
  common::IoResult result = common::send_some(sock_.get(), bytes);
  if (result.status == common::IoStatus::error) {
    return sent.set_exception(request_error(errors::send_failed(address_, result.error)));
  }
  sent.set_result(result.bytes);  // 0 when the buffer is full after all: the caller retries
}

// [docs:stage3-on-data-received]
// Readable: some bytes (maybe not a whole line), the end of the stream, or an error.
void Connection::on_data_received(Future<std::string>& received) {
  std::array<char, 4096> buffer;
  common::IoResult result = common::recv_some(sock_.get(), buffer);
  switch (result.status) {
    case common::IoStatus::ok:
      return received.set_result(std::string(buffer.data(), result.bytes));
    case common::IoStatus::would_block:
      return received.set_result({});  // a spurious wake-up: nothing yet
    case common::IoStatus::closed:
      return received.set_exception(request_error(errors::closed_early(address_)));
    case common::IoStatus::error:
      return received.set_exception(request_error(errors::recv_failed(address_, result.error)));
  }
}
// [/docs]

// The request's time is up: fail what it waits for; the generator, resumed, throws it.
void Connection::on_deadline() {
  timed_out_ = true;
  if (!waiting_) return;  // not waiting right now: its next wait fails at once
  loop_.cancel_when_ready(sock_.get());
  std::exchange(waiting_, nullptr)
      ->set_exception(request_error(errors::timed_out(timeout_seconds_)));
}

// [docs:stage3-make-tcp-request]
// One request, from connect to answer, in the order it happens. Each co_yield hands a
// future to the Task and stops here until it is done; result() then gives its value, or
// throws what went wrong (refused, reset, closed early, timed out).
Generator<FuturePtr, std::string> make_tcp_request(const Shared& shared, int id) {
  std::shared_ptr<Connection> connection =
      Connection::open(shared.loop, shared.address, shared.timeout_seconds);

  std::shared_ptr<Future<void>> connected = connection->connect();
  co_yield connected;   // wake me when connected; meanwhile the loop runs the others
  connected->result();  // a failed connect throws here

  const std::string request = common::protocol::request_line(id);
  for (std::string_view unsent = request; !unsent.empty();) {
    auto sent = connection->send(unsent);
    co_yield sent;
    unsent.remove_prefix(sent->result());
  }

  common::LineFramer framer(errors::max_response_bytes);
  for (;;) {
    auto received = connection->receive();
    co_yield received;
    framer.feed(received->result());
    if (std::optional<std::string> line = framer.next_line()) co_return std::move(*line);
    if (framer.too_long()) {
      throw RequestError(errors::response_too_long(shared.address, errors::max_response_bytes));
    }
  }
}  // the connection dies with the frame: its socket closes
// [/docs]

// [docs:stage3-consume-response]
// The article's composability example: a generator that delegates to another. What
// make_tcp_request yields passes through to the Task; what it returns comes back here.
Generator<FuturePtr> consume_response(const Shared& shared, int id) {
  shared.report.request_started(id);
  try {
    std::string response = co_yield yield_from(make_tcp_request(shared, id));
    shared.report.request_succeeded(id, std::move(response));
  } catch (const RequestError& error) {
    shared.report.request_failed(id, error.what());
  }
}
// [/docs]

}  // namespace

// [docs:stage3-run]
void run(const common::ClientOptions& options, common::RunReport& report, std::ostream* trace) {
  EventLoop loop(options.selector);
  loop.trace_to(trace);
  const Shared shared{loop, options.address(), options.timeout_seconds, report};
  std::vector<std::shared_ptr<Task<void>>> requests;
  for (int id : options.request_ids()) {
    requests.push_back(
        loop.create_task(consume_response(shared, id), "request " + std::to_string(id)));
  }
  // Every request at once; an exception no request caught (FD_SETSIZE) comes out here.
  loop.run_until_complete(gather(requests));
}
// [/docs]

void run(const common::ClientOptions& options, common::RunReport& report) {
  run(options, report, nullptr);
}

}  // namespace stage3
