// sock_diag (NETLINK_SOCK_DIAG, inet_diag): the TCP sockets the kernel lists.
// SockDiag is what the commands ask; NetlinkSockDiag is the real thing, a
// libmnl socket. The bytes it exchanges (the dump request, the reply) are
// built and parsed by pure functions, tested from recorded replies
// (tests/testdata); tests of the code above fake SockDiag itself.
#pragma once

#include "inet_addr.h"

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

struct mnl_socket;

namespace kecho::ctl {

struct SockFilter;

// One TCP socket as sock_diag reports it.
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

class SockDiag {
  public:
    SockDiag() = default;
    SockDiag(const SockDiag&) = delete;
    SockDiag& operator=(const SockDiag&) = delete;
    SockDiag(SockDiag&&) = delete;
    SockDiag& operator=(SockDiag&&) = delete;
    virtual ~SockDiag() = default;

    // All TCP sockets of `family` (AF_INET or AF_INET6) in `states`.
    // Throws SystemError.
    virtual std::vector<SockInfo> dump_tcp(int family, std::uint32_t states) = 0;
};

// IPv4 and IPv6 TCP sockets in `states`.
std::vector<SockInfo> list_tcp_sockets(SockDiag& diag, std::uint32_t states);

// The sockets `filter` selects, sorted for display.
std::vector<SockInfo> select_sockets(SockDiag& diag, const SockFilter& filter);

// The real one: a NETLINK_SOCK_DIAG socket in the current network namespace.
class NetlinkSockDiag final : public SockDiag {
  public:
    NetlinkSockDiag(); // throws SystemError
    std::vector<SockInfo> dump_tcp(int family, std::uint32_t states) override;

  private:
    struct Closer {
        void operator()(mnl_socket* sock) const noexcept;
    };
    std::unique_ptr<mnl_socket, Closer> sock_;
    std::uint32_t portid_ = 0;
    std::uint32_t seq_ = 0;
};

// NetlinkSockDiag's bytes. A SOCK_DIAG_BY_FAMILY dump request for TCP
// sockets of `family` in `states`.
std::vector<std::uint8_t> build_tcp_dump_request(int family, std::uint32_t states,
                                                 std::uint32_t seq);

enum class DumpProgress { More, Done };

// Parse one datagram of a dump reply, appending each socket to `out`.
// seq/portid 0 skip the checks. Throws SystemError on NLMSG_ERROR or on a
// malformed message.
DumpProgress parse_tcp_dump_reply(std::span<const std::uint8_t> datagram, std::uint32_t seq,
                                  std::uint32_t portid, std::vector<SockInfo>& out);

} // namespace kecho::ctl
