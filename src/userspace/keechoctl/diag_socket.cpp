#include "diag_socket.h"

#include "errors.h"
#include "output.h"
#include "sock_diag.h"

#include <algorithm>
#include <ctime>
#include <iterator>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <string>
#include <sys/socket.h>

namespace kecho::ctl {

namespace {

[[noreturn]] void fail(const std::string& what) {
    throw_errno("sock_diag: " + what);
}

} // namespace

void DiagSocket::Closer::operator()(mnl_socket* sock) const noexcept {
    mnl_socket_close(sock);
}

DiagSocket::DiagSocket() : sock_(mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC)) {
    if (!sock_)
        fail("cannot open a NETLINK_SOCK_DIAG socket");
    if (mnl_socket_bind(sock_.get(), 0, MNL_SOCKET_AUTOPID) < 0)
        fail("cannot bind the netlink socket");
    portid_ = mnl_socket_get_portid(sock_.get());
    seq_ = static_cast<std::uint32_t>(std::time(nullptr));
}

std::vector<SockInfo> DiagSocket::dump_tcp(int family, std::uint32_t states) {
    const std::uint32_t seq = ++seq_;
    const auto req = build_tcp_dump_request(family, states, seq);
    if (mnl_socket_sendto(sock_.get(), req.data(), req.size()) < 0)
        fail("cannot send the dump request");
    std::vector<SockInfo> out;
    // 32 KiB: the kernel fills dump datagrams up to the reader's buffer size.
    std::vector<std::uint8_t> buf(32768);
    for (;;) {
        const ssize_t n = mnl_socket_recvfrom(sock_.get(), buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail("cannot read the dump reply");
        }
        const std::span<const std::uint8_t> datagram(buf.data(), static_cast<size_t>(n));
        if (parse_tcp_dump_reply(datagram, seq, portid_, out) == DumpProgress::Done)
            return out;
    }
}

std::vector<SockInfo> list_tcp_sockets(std::uint32_t states) {
    DiagSocket sock;
    auto out = sock.dump_tcp(AF_INET, states);
    auto v6 = sock.dump_tcp(AF_INET6, states);
    out.insert(out.end(), v6.begin(), v6.end());
    return out;
}

std::vector<SockInfo> select_sockets(const SockFilter& filter) {
    auto all = list_tcp_sockets(filter.state_mask());
    std::vector<SockInfo> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out),
                 [&filter](const SockInfo& s) { return filter.matches(s); });
    sort_sockets(out);
    return out;
}

} // namespace kecho::ctl
