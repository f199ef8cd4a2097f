// One TCP socket as sock_diag reports it.
#pragma once

#include "inet_addr.h"

#include <cstdint>

namespace kecho::ctl {

struct SockInfo {
    int family = 0;
    unsigned state = 0;
    InetAddr src;
    std::uint16_t sport = 0;
    InetAddr dst;
    std::uint16_t dport = 0;
    std::uint32_t rqueue = 0;
    std::uint32_t wqueue = 0;
    std::uint32_t uid = 0;
    std::uint32_t inode = 0;
    // inet_diag's socket cookie: (u64)idiag_cookie[1] << 32 | idiag_cookie[0].
    std::uint64_t cookie = 0;
};

} // namespace kecho::ctl
