// Open many connections at once, without blocking on any one of them.
#pragma once

#include "net.h"
#include "progress.h"
#include "result.h"

#include <vector>

namespace kecho::bench {

// Start `n` connects to `t` and wait (at most `timeout_s`) for them to
// complete. Returns the connected sockets; `failures` counts the rest.
std::vector<UniqueFd> connect_all(const Target& t, unsigned n, double timeout_s,
                                  uint64_t& failures);

// Send `msg` on `fd` and read the echo back, waiting at most `timeout_ms`
// in total. True when exactly `msg` came back.
bool echo_once(int fd, const std::vector<char>& msg, int timeout_ms);

// Connections owned by one thread, and what was measured on them.
struct EchoSet {
    std::vector<UniqueFd> conns;
    Result part;
};

// Send `msg` on every connection of `st` at once, then collect the echoes
// (at most `timeout_ms`). When `record`, each echo's time since `t0` goes into
// st.part; a wrong, late or missing echo is an error and its connection is
// dropped.
void echo_all(EchoSet& st, const std::vector<char>& msg, uint64_t t0, bool record, Counters& live,
              int timeout_ms = 10000);

} // namespace kecho::bench
