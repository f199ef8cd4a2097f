// One echo round trip on a connected blocking socket: a writer thread sends
// the payload while the caller reads the echo and compares it byte by byte.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace kecho::testclient {

struct RoundTrip {
    bool ok = false;
    std::string why; // empty when ok
};

// Never throws for I/O problems: they are reported in `why`.
RoundTrip echo_round_trip(int fd, std::span<const std::uint8_t> payload);

} // namespace kecho::testclient
