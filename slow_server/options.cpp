// options.cpp: slow_server's command line (docs/protocol.md, "Options"). Integers take
// decimal digits only and seconds a finite number up to a bound: common/cli.hpp says why.
#include "slow_server/options.hpp"

#include "common/cli.hpp"

namespace slow_server {

void add_server_options(CLI::App& app, ServerOptions& options) {
  using common::add_choice_option;
  using common::integer_validator;
  const auto seconds = common::seconds_validator();
  app.add_option("--host", options.host, "Address to listen on")
      ->capture_default_str()
      ->check(common::host_validator());
  app.add_option("--port", options.port, "Port to listen on (0: pick a free port)")
      ->capture_default_str()
      ->check(integer_validator(0, 65535));
  app.add_option("--delay", options.delay_seconds,
                 "Seconds between a request's arrival and its answer (fractions allowed)")
      ->capture_default_str()
      ->check(seconds);
  add_choice_option(app, "--framing", options.framing,
                    {{"line", Framing::line}, {"chunk", Framing::chunk}},
                    "line: a request ends with a newline (the protocol); chunk: every chunk "
                    "one read returns is a request (the article's sample server)");
  app.add_option("--max-connections", options.max_connections,
                 "Connections served at once; more are accepted and closed at once")
      ->capture_default_str()
      ->check(integer_validator(1, 10'000'000));
  app.add_option("--idle-timeout", options.idle_timeout_seconds,
                 "Close a connection silent this many seconds with nothing owed (0: never)")
      ->capture_default_str()
      ->check(seconds);
  app.add_option("--request-timeout", options.request_timeout_seconds,
                 "A request line must be whole this many seconds after its first byte, or "
                 "the client gets 'ERROR request timeout' and is closed (0: no limit)")
      ->capture_default_str()
      ->check(seconds);
  app.add_option("--send-timeout", options.send_timeout_seconds,
                 "Close a connection whose owed answers could not be written for this many "
                 "seconds: the client does not read (0: never)")
      ->capture_default_str()
      ->check(seconds);
  app.add_option("--max-owed-per-connection", options.max_owed_per_connection,
                 "Answers one connection may owe; past it the server reads no more of its "
                 "requests until it reads answers")
      ->capture_default_str()
      ->check(integer_validator(1, 1'000'000'000));
  app.add_option("--max-owed-answers", options.max_owed_answers,
                 "Answers all connections together may owe before the server reads only a "
                 "small reserve from each (0: no limit)")
      ->capture_default_str()
      ->check(integer_validator(0, 1'000'000'000));
  app.add_option("--max-buffered-bytes", options.max_buffered_bytes,
                 "Bytes held for all connections together (unread lines, owed requests, "
                 "unsent answers) before the server reads only a small reserve from each "
                 "(0: no limit)")
      ->capture_default_str()
      ->check(integer_validator(0, 1'000'000'000'000));
  app.add_option("--drain-timeout", options.drain_timeout_seconds,
                 "After SIGTERM/SIGINT, seconds to keep sending owed answers before "
                 "dropping the rest")
      ->capture_default_str()
      ->check(seconds);
  app.add_flag("--verbose", options.verbose, "One log line (stderr) per connection event");
  common::add_selector_option(app, options.selector);

  // Teaching aids: a server that misbehaves on purpose, to test a client's error handling.
  auto* faults = app.add_option_group("Teaching aids (misbehave on purpose)");
  add_choice_option(*faults, "--fault", options.fault,
                    {{"none", Fault::none},
                     {"close-early", Fault::close_early},
                     {"stall", Fault::stall},
                     {"reset", Fault::reset},
                     {"trickle", Fault::trickle}},
                    "close-early: read the request, close without answering; stall: never "
                    "answer; reset: write half the answer, then reset (RST); trickle: write "
                    "the answer one byte at a time");
  faults
      ->add_option("--fault-every", options.fault_every,
                   "Apply --fault to every N-th connection accepted (1: all)")
      ->capture_default_str()
      ->check(integer_validator(1, 1'000'000'000));
  faults
      ->add_option("--trickle-gap", options.trickle_gap_seconds,
                   "Seconds between two bytes with --fault trickle")
      ->capture_default_str()
      ->check(seconds);
}

}  // namespace slow_server
