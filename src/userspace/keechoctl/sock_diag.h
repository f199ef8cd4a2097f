// NETLINK_SOCK_DIAG (inet_diag) TCP dumps: building the request and parsing
// the reply are pure functions over bytes, so they are tested from recordings.
#pragma once

#include "sock_info.h"

#include <cstdint>
#include <span>
#include <vector>

namespace kecho::ctl {

// A SOCK_DIAG_BY_FAMILY dump request for TCP sockets of `family` in `states`.
std::vector<std::uint8_t> build_tcp_dump_request(int family, std::uint32_t states,
                                                 std::uint32_t seq);

enum class DumpProgress { More, Done };

// Parse one datagram of a dump reply, appending each socket to `out`.
// seq/portid 0 skip the checks. Throws SystemError on NLMSG_ERROR or on a
// malformed message.
DumpProgress parse_tcp_dump_reply(std::span<const std::uint8_t> datagram, std::uint32_t seq,
                                  std::uint32_t portid, std::vector<SockInfo>& out);

} // namespace kecho::ctl
