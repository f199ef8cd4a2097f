#include "sock_diag.h"

#include "errors.h"
#include "filters.h"
#include "output.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <iterator>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>

namespace kecho::ctl {

std::vector<std::uint8_t> build_tcp_dump_request(int family, std::uint32_t states,
                                                 std::uint32_t seq) {
    std::vector<std::uint8_t> buf(MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(inet_diag_req_v2)));
    nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
    nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    nlh->nlmsg_seq = seq;
    auto* req =
        static_cast<inet_diag_req_v2*>(mnl_nlmsg_put_extra_header(nlh, sizeof(inet_diag_req_v2)));
    req->sdiag_family = static_cast<std::uint8_t>(family);
    req->sdiag_protocol = IPPROTO_TCP;
    req->idiag_states = states;
    buf.resize(nlh->nlmsg_len);
    return buf;
}

namespace {

int on_message(const nlmsghdr* nlh, void* data) {
    auto* out = static_cast<std::vector<SockInfo>*>(data);
    if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY)
        return MNL_CB_OK;
    if (mnl_nlmsg_get_payload_len(nlh) < sizeof(inet_diag_msg)) {
        errno = EBADMSG;
        return MNL_CB_ERROR;
    }
    inet_diag_msg msg{};
    std::memcpy(&msg, mnl_nlmsg_get_payload(nlh), sizeof(msg));
    if (msg.idiag_family != AF_INET && msg.idiag_family != AF_INET6) {
        errno = EBADMSG;
        return MNL_CB_ERROR;
    }
    SockInfo s;
    s.family = msg.idiag_family;
    s.state = msg.idiag_state;
    s.src.family = s.dst.family = s.family;
    const size_t len = s.family == AF_INET ? 4 : 16;
    std::memcpy(s.src.bytes.data(), static_cast<const void*>(msg.id.idiag_src), len);
    std::memcpy(s.dst.bytes.data(), static_cast<const void*>(msg.id.idiag_dst), len);
    s.sport = ntohs(msg.id.idiag_sport);
    s.dport = ntohs(msg.id.idiag_dport);
    s.rqueue = msg.idiag_rqueue;
    s.wqueue = msg.idiag_wqueue;
    s.uid = msg.idiag_uid;
    s.inode = msg.idiag_inode;
    s.cookie = static_cast<std::uint64_t>(msg.id.idiag_cookie[1]) << 32 | msg.id.idiag_cookie[0];
    out->push_back(s);
    return MNL_CB_OK;
}

} // namespace

DumpProgress parse_tcp_dump_reply(std::span<const std::uint8_t> datagram, std::uint32_t seq,
                                  std::uint32_t portid, std::vector<SockInfo>& out) {
    errno = 0;
    const int ret = mnl_cb_run(datagram.data(), datagram.size(), seq, portid, on_message, &out);
    if (ret == MNL_CB_ERROR) {
        const int err = errno != 0 ? errno : EBADMSG;
        throw_errno(err, "sock_diag TCP dump");
    }
    return ret == MNL_CB_STOP ? DumpProgress::Done : DumpProgress::More;
}

std::vector<SockInfo> list_tcp_sockets(SockDiag& diag, std::uint32_t states) {
    auto out = diag.dump_tcp(AF_INET, states);
    auto v6 = diag.dump_tcp(AF_INET6, states);
    out.insert(out.end(), v6.begin(), v6.end());
    return out;
}

std::vector<SockInfo> select_sockets(SockDiag& diag, const SockFilter& filter) {
    auto all = list_tcp_sockets(diag, filter.state_mask());
    std::vector<SockInfo> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out),
                 [&filter](const SockInfo& s) { return filter.matches(s); });
    sort_sockets(out);
    return out;
}

namespace {

[[noreturn]] void fail(const std::string& what) {
    throw_errno("sock_diag: " + what);
}

} // namespace

void NetlinkSockDiag::Closer::operator()(mnl_socket* sock) const noexcept {
    mnl_socket_close(sock);
}

NetlinkSockDiag::NetlinkSockDiag() : sock_(mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC)) {
    if (!sock_)
        fail("cannot open a NETLINK_SOCK_DIAG socket");
    if (mnl_socket_bind(sock_.get(), 0, MNL_SOCKET_AUTOPID) < 0)
        fail("cannot bind the netlink socket");
    portid_ = mnl_socket_get_portid(sock_.get());
    seq_ = static_cast<std::uint32_t>(std::time(nullptr));
}

std::vector<SockInfo> NetlinkSockDiag::dump_tcp(int family, std::uint32_t states) {
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

} // namespace kecho::ctl
