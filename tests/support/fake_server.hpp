// fake_server.hpp: something that is not slow_server listening where a client expects it,
// answering every request line at once with the same fixed line, for tests of what a
// client accepts as an answer.
//
//   test_support::FakeServer server("Response to Request 777");  // a free port
//   ... run a client against 127.0.0.1:server.port() ...
// Each connection: every line that arrives is answered `answer` + '\n'; the connection
// stays open until the client closes it. The destructor stops the thread.
#pragma once

#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "common/fd.hpp"
#include "common/net.hpp"

namespace test_support {

class FakeServer {
 public:
  explicit FakeServer(std::string answer)
      : answer_(std::move(answer) + "\n"),
        listener_(common::listen_tcp("127.0.0.1", 0, 1024)),
        thread_([this] { serve(); }) {}
  ~FakeServer() {
    stop_ = true;
    thread_.join();
  }
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  std::uint16_t port() const { return common::local_port(listener_.get()); }

 private:
  struct Connection {
    common::Fd fd;
    std::string unread;
  };

  // One thread, one poll() over the listener and every connection; it wakes every 10 ms
  // to see whether the test is done.
  void serve() {
    std::vector<Connection> connections;
    while (!stop_) {
      std::vector<pollfd> watched{{listener_.get(), POLLIN, 0}};
      for (const auto& connection : connections)
        watched.push_back({connection.fd.get(), POLLIN, 0});
      if (::poll(watched.data(), watched.size(), 10) <= 0) continue;
      for (std::size_t i = connections.size(); i-- > 0;) {
        if (watched[i + 1].revents == 0) continue;
        char buffer[4096];
        common::IoResult got = common::recv_some(connections[i].fd.get(), buffer);
        if (got.status == common::IoStatus::ok) {
          connections[i].unread.append(buffer, got.bytes);
          for (auto end = connections[i].unread.find('\n'); end != std::string::npos;
               end = connections[i].unread.find('\n')) {
            connections[i].unread.erase(0, end + 1);
            common::send_some(connections[i].fd.get(), answer_);  // short: fits at once
          }
        } else if (got.status != common::IoStatus::would_block) {
          connections.erase(connections.begin() + static_cast<long>(i));  // closed or failed
        }
      }
      if (watched[0].revents != 0) {
        int fd = ::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) connections.push_back({common::Fd(fd), {}});
      }
    }
  }

  std::string answer_;
  common::Fd listener_;
  std::atomic<bool> stop_{false};
  std::thread thread_;  // last: it starts once everything it uses is built
};

}  // namespace test_support
