// An HTTP server on loopback for the tests, as khttpd behaves and as it
// could misbehave: it reads a request head, then answers with `response`
// and closes, says nothing, answers and keeps the connection open, or
// resets. http_round_trip() and the khttpd daemon are tested against it.
#pragma once

#include "unique_fd.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kecho::ctl::test {

enum class FakeHttpBehavior {
    Respond,        // send the response, then close
    RespondAndStay, // send the response, keep the connection open
    Silent,         // read the request, never answer, keep it open
    Reset,          // read the request, then reset the connection (RST)
};

class FakeHttpServer {
  public:
    explicit FakeHttpServer(std::string response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
                                                   "Connection: close\r\n\r\nok");
    FakeHttpServer(const FakeHttpServer&) = delete;
    FakeHttpServer& operator=(const FakeHttpServer&) = delete;
    FakeHttpServer(FakeHttpServer&&) = delete;
    FakeHttpServer& operator=(FakeHttpServer&&) = delete;
    ~FakeHttpServer();

    [[nodiscard]] std::uint16_t port() const { return port_; }
    std::atomic<FakeHttpBehavior> behavior{FakeHttpBehavior::Respond};
    // The request heads received, in order.
    [[nodiscard]] std::vector<std::string> requests() const;

  private:
    void run();
    void serve(UniqueFd conn);

    std::string response_;
    UniqueFd listener_;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::vector<std::string> requests_;
    std::vector<UniqueFd> held_; // connections left open
    std::thread thread_;
};

} // namespace kecho::ctl::test
