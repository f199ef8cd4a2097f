#include "tcp_state.h"

#include <array>
#include <string>

namespace kecho::ctl {

namespace {

constexpr std::array<std::string_view, kMaxState> kNames = {
    "UNKNOWN", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",    "TIME_WAIT",
    "CLOSE",   "CLOSE_WAIT",  "LAST_ACK", "LISTEN",   "CLOSING",   "NEW_SYN_RECV",
};

std::string canonical(std::string_view name) {
    std::string out;
    for (char c : name) {
        if (c == '-')
            c = '_';
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
        out.push_back(c);
    }
    return out;
}

} // namespace

std::string_view tcp_state_name(unsigned state) {
    if (state == 0 || state >= kNames.size())
        return kNames[0];
    return kNames.at(state);
}

std::optional<std::uint32_t> parse_state_mask(std::string_view name) {
    const std::string want = canonical(name);
    if (want == "ALL")
        return kAllStates;
    if (want == "CONNECTED")
        return kAllStates & ~state_bit(kListen) & ~state_bit(kClose);
    if (want == "ESTAB")
        return state_bit(kEstablished);
    // ss spells these FIN-WAIT-1, the kernel FIN_WAIT1; accept both.
    if (want == "FIN_WAIT_1")
        return state_bit(kFinWait1);
    if (want == "FIN_WAIT_2")
        return state_bit(kFinWait2);
    for (unsigned s = 1; s < kNames.size(); ++s)
        if (kNames.at(s) == want)
            return state_bit(s);
    return std::nullopt;
}

} // namespace kecho::ctl
