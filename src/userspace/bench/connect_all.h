// Open many connections at once, without blocking on any one of them.
#pragma once

#include "net.h"

#include <vector>

namespace kecho::bench {

// Start `n` connects to `t` and wait (at most `timeout_s`) for them to
// complete. Returns the connected sockets; `failures` counts the rest.
std::vector<UniqueFd> connect_all(const Target& t, unsigned n, double timeout_s,
                                  uint64_t& failures);

// Send `msg` on `fd` and read the echo back, waiting at most `timeout_ms`
// in total. True when exactly `msg` came back.
bool echo_once(int fd, const std::vector<char>& msg, int timeout_ms);

} // namespace kecho::bench
