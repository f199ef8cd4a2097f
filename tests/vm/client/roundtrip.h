// One echo round trip on a connected blocking socket: a writer thread sends
// the payload while the caller reads the echo and compares it byte by byte.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace kecho::testclient {

// How the two sides pace themselves; zeros mean "as fast as possible".
struct Pacing {
    std::size_t write_chunk = 0;             // bytes per send()
    std::size_t read_chunk = 0;              // bytes per recv()
    std::chrono::milliseconds read_pause{};  // sleep after each recv()
    std::chrono::milliseconds write_pause{}; // sleep after each write_chunk
};

struct RoundTrip {
    bool ok = false;
    std::string why; // empty when ok
};

// Never throws for I/O problems: they are reported in `why`.
RoundTrip echo_round_trip(int fd, std::span<const std::uint8_t> payload, const Pacing& pacing = {});

// After a complete echo: shutdown(SHUT_WR), then the server must close with
// nothing more sent. Returns why not, or "" when it did.
std::string expect_eof_after_echo(int fd);

// The reading half of a half-closed echo: append everything received to
// `got` until EOF. Returns "" at EOF, else why reading stopped (an error,
// or `idle` when the socket's receive timeout passed with no data).
std::string read_to_eof(int fd, std::vector<std::uint8_t>& got, const std::string& idle);

// Whether a half-closed echo came back exactly: "" when `got` equals
// `sent` and neither side failed, else the first problem found (the write,
// a differing byte, the read, or an EOF at the wrong place).
std::string judge_echo(std::span<const std::uint8_t> got, std::span<const std::uint8_t> sent,
                       const std::string& write_error, const std::string& read_error);

} // namespace kecho::testclient
