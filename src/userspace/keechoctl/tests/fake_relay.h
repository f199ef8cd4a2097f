// A chat relay on loopback for the tests, speaking kecho's chat protocol
// (a 4-byte body length, then the body): every whole message a client sends
// goes to every other client that had joined when it completed, and to the
// sender too with `echo` (chat_echo=1). Knobs make it behave like a room
// that is late, noisy or broken, so chat_relay_trip() is tested on real
// sockets without kecho.
#pragma once

#include "unique_fd.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

namespace kecho::ctl::test {

struct FakeRelayOptions {
    bool little_endian = false;
    bool echo = false; // chat_echo=1: the sender gets its own messages too
    // A client joins the room this long after it was accepted; messages
    // completed before miss it (kecho's "only messages after you joined").
    std::chrono::milliseconds join_delay{0};
    bool relay = true;    // false: a broken room that forwards nothing
    bool chatter = false; // before each message it relays, another member's
                          // messages reach every client: 100 kB, 0 bytes, and
                          // one as long as the probe with another body
};

class FakeRelay {
  public:
    explicit FakeRelay(FakeRelayOptions options);
    FakeRelay(const FakeRelay&) = delete;
    FakeRelay& operator=(const FakeRelay&) = delete;
    FakeRelay(FakeRelay&&) = delete;
    FakeRelay& operator=(FakeRelay&&) = delete;
    ~FakeRelay();

    [[nodiscard]] std::uint16_t port() const { return port_; }
    // Whole messages the clients sent.
    [[nodiscard]] unsigned received() const { return received_.load(); }
    // Copies written to clients (chatter not counted).
    [[nodiscard]] unsigned delivered() const { return delivered_.load(); }

  private:
    void run();

    FakeRelayOptions options_;
    UniqueFd listener_;
    UniqueFd stop_read_;
    UniqueFd stop_write_;
    std::uint16_t port_ = 0;
    std::atomic<unsigned> received_{0};
    std::atomic<unsigned> delivered_{0};
    std::thread thread_;
};

} // namespace kecho::ctl::test
