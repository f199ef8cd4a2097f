// Client-side socket helpers for bench.
#pragma once

#include "unique_fd.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <sys/socket.h>

namespace kecho::bench {

struct Target {
    sockaddr_storage addr{};
    socklen_t len = 0;
    std::string text;     // "host:port" for messages
    unsigned sources = 0; // > 0: bind connections to 127.0.0.1 .. 127.0.0.<sources> in turn
};

// Resolve host (numeric or a name) and port. Throws std::runtime_error.
Target resolve_target(const std::string& host, uint16_t port);

// A non-blocking socket with connect() started, from the next of
// t.sources loopback addresses if there are any. Invalid on an immediate
// failure (errno set).
UniqueFd start_connect(const Target& t);

// 0 when a non-blocking connect() completed, else its error.
int connect_result(int fd);

void set_nodelay(int fd);

inline uint64_t now_ns() {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::steady_clock::now().time_since_epoch())
                                     .count());
}

// The payload byte at stream offset `off`: a pattern with a prime period so a
// misplaced or repeated chunk does not compare equal.
inline char pattern_at(uint64_t off) {
    return static_cast<char>('!' + off % 89);
}

} // namespace kecho::bench
