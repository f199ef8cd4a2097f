// Which sockets `connections` and `drop` select: states, ports, addresses.
#pragma once

#include "inet_addr.h"
#include "sock_diag.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kecho::ctl {

struct SockFilter {
    std::uint32_t states = 0;          // 0: any state
    std::optional<std::uint16_t> port; // either end
    std::optional<std::uint16_t> sport;
    std::optional<std::uint16_t> dport;
    std::optional<Prefix> src;
    std::optional<Prefix> dst;

    // No selector at all (drop refuses this without --all).
    [[nodiscard]] bool empty() const;
    [[nodiscard]] bool matches(const SockInfo& sock) const;
    // The mask to ask the kernel for.
    [[nodiscard]] std::uint32_t state_mask() const;
    // "state TIME_WAIT, port 12345" for messages.
    [[nodiscard]] std::string describe() const;
};

// Flag values as given on the command line (each may repeat for --state).
struct FilterArgs {
    std::vector<std::string> states;
    std::optional<std::string> port, sport, dport, src, dst;
};

// Throws UsageError naming the flag and value that is wrong.
SockFilter parse_filter(const FilterArgs& args);

} // namespace kecho::ctl
