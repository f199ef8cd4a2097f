// TCP state names as the kernel (include/net/tcp_states.h) numbers them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace kecho::ctl {

// Kernel TCP_* numbers; bit N of a state mask means state N.
enum TcpState : std::uint8_t {
    kEstablished = 1,
    kSynSent,
    kSynRecv,
    kFinWait1,
    kFinWait2,
    kTimeWait,
    kClose,
    kCloseWait,
    kLastAck,
    kListen,
    kClosing,
    kNewSynRecv,
    kMaxState,
};

inline constexpr std::uint32_t kAllStates = ((1U << kMaxState) - 1) & ~1U;
constexpr std::uint32_t state_bit(unsigned state) {
    return 1U << state;
}

// "ESTABLISHED", "TIME_WAIT", ...; "UNKNOWN" for anything else.
std::string_view tcp_state_name(unsigned state);

// Mask for a state name: case-insensitive, '-' and '_' alike, plus ss's
// "estab", and the groups "all" and "connected" (all but LISTEN and CLOSE).
std::optional<std::uint32_t> parse_state_mask(std::string_view name);

} // namespace kecho::ctl
