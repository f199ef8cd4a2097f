// Records real NETLINK_SOCK_DIAG TCP dump replies for the parser tests.
//
// It opens loopback sockets of its own (IPv4 and IPv6: a listener, an
// established pair and a client in TIME_WAIT), dumps TCP sockets through
// sock_diag, keeps only the messages about its own sockets (so no host detail
// leaks into the repository) plus NLMSG_DONE, and writes:
//   OUTDIR/tcp4.bin, OUTDIR/tcp6.bin  the reply messages, byte for byte
//   OUTDIR/expect.txt                 "seq FAMILY N" and one line per socket it
//                                     made: "FAMILY STATE LOCAL REMOTE"
// Run: keechoctl-record-diag src/userspace/keechoctl/tests/testdata
#include "error.h"
#include "inet_addr.h"
#include "sock_diag.h"
#include "unique_fd.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <set>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using kecho::UniqueFd;
using namespace kecho::ctl;

namespace {

[[noreturn]] void die(const std::string& what) {
    kecho::throw_errno(what);
}

struct Endpoint {
    InetAddr addr;
    std::uint16_t port = 0;
};

socklen_t to_sockaddr(const Endpoint& ep, sockaddr_storage& ss) {
    ss = {};
    if (ep.addr.family == AF_INET) {
        auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
        sin->sin_family = AF_INET;
        sin->sin_port = htons(ep.port);
        std::memcpy(&sin->sin_addr, ep.addr.bytes.data(), 4);
        return sizeof(sockaddr_in);
    }
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(ep.port);
    std::memcpy(&sin6->sin6_addr, ep.addr.bytes.data(), 16);
    return sizeof(sockaddr_in6);
}

Endpoint local_of(int fd, int family) {
    sockaddr_storage ss{};
    socklen_t len = sizeof(ss);
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0)
        die("getsockname");
    Endpoint ep;
    ep.addr.family = family;
    if (family == AF_INET) {
        const auto* sin = reinterpret_cast<const sockaddr_in*>(&ss);
        std::memcpy(ep.addr.bytes.data(), &sin->sin_addr, 4);
        ep.port = ntohs(sin->sin_port);
    } else {
        const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&ss);
        std::memcpy(ep.addr.bytes.data(), &sin6->sin6_addr, 16);
        ep.port = ntohs(sin6->sin6_port);
    }
    return ep;
}

struct FamilySockets {
    UniqueFd listener, client, server, tw_client;
    Endpoint listen_ep, client_ep, tw_ep;
};

UniqueFd connect_to(const Endpoint& to) {
    UniqueFd fd(::socket(to.addr.family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_storage ss{};
    const socklen_t len = to_sockaddr(to, ss);
    if (!fd || ::connect(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0)
        die("connect");
    return fd;
}

FamilySockets make_sockets(const InetAddr& loopback) {
    FamilySockets s;
    s.listener.reset(::socket(loopback.family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_storage ss{};
    const socklen_t len = to_sockaddr({loopback, 0}, ss);
    if (!s.listener || ::bind(s.listener.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0 ||
        ::listen(s.listener.get(), 8) != 0)
        die("listen");
    s.listen_ep = local_of(s.listener.get(), loopback.family);

    s.client = connect_to(s.listen_ep);
    s.client_ep = local_of(s.client.get(), loopback.family);
    s.server.reset(::accept(s.listener.get(), nullptr, nullptr));

    // Active close on the client side leaves it in TIME_WAIT.
    s.tw_client = connect_to(s.listen_ep);
    s.tw_ep = local_of(s.tw_client.get(), loopback.family);
    const UniqueFd tw_server(::accept(s.listener.get(), nullptr, nullptr));
    s.tw_client.reset();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return s;
}

// Dump, keep the messages about `ports` and NLMSG_DONE.
std::vector<std::uint8_t> record(int family, const std::set<std::uint16_t>& ports,
                                 std::uint32_t seq) {
    mnl_socket* nl = mnl_socket_open(NETLINK_SOCK_DIAG);
    if (nl == nullptr || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
        die("netlink");
    const auto req = build_tcp_dump_request(family, 0xfff, seq);
    if (mnl_socket_sendto(nl, req.data(), req.size()) < 0)
        die("sendto");
    std::vector<std::uint8_t> kept;
    std::vector<std::uint8_t> buf(32768);
    bool done = false;
    while (!done) {
        const ssize_t n = mnl_socket_recvfrom(nl, buf.data(), buf.size());
        if (n < 0)
            die("recvfrom");
        int left = static_cast<int>(n);
        for (auto* nlh = reinterpret_cast<nlmsghdr*>(buf.data()); mnl_nlmsg_ok(nlh, left);
             nlh = mnl_nlmsg_next(nlh, &left)) {
            bool keep = nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR;
            if (nlh->nlmsg_type == SOCK_DIAG_BY_FAMILY) {
                const auto* msg = static_cast<const inet_diag_msg*>(mnl_nlmsg_get_payload(nlh));
                keep = ports.contains(ntohs(msg->id.idiag_sport)) ||
                       ports.contains(ntohs(msg->id.idiag_dport));
            }
            if (keep) {
                const auto* p = reinterpret_cast<const std::uint8_t*>(nlh);
                kept.insert(kept.end(), p, p + MNL_ALIGN(nlh->nlmsg_len));
            }
            done = done || nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR;
        }
    }
    mnl_socket_close(nl);
    return kept;
}

std::string line(const char* fam, const char* state, const Endpoint& l, const Endpoint& r) {
    return std::string(fam) + " " + state + " " + format_endpoint(l.addr, l.port) + " " +
           format_endpoint(r.addr, r.port) + "\n";
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: keechoctl-record-diag OUTDIR\n";
        return 1;
    }
    try {
        const std::string dir = argv[1];
        const auto v4 = make_sockets(*parse_inet_addr("127.0.0.1"));
        const auto v6 = make_sockets(*parse_inet_addr("::1"));
        const Endpoint any4{*parse_inet_addr("0.0.0.0"), 0};
        const Endpoint any6{*parse_inet_addr("::"), 0};
        constexpr std::uint32_t kSeq4 = 4242;
        constexpr std::uint32_t kSeq6 = 6262;
        const auto b4 = record(AF_INET, {v4.listen_ep.port}, kSeq4);
        const auto b6 = record(AF_INET6, {v6.listen_ep.port}, kSeq6);
        std::ofstream(dir + "/tcp4.bin", std::ios::binary)
            .write(reinterpret_cast<const char*>(b4.data()),
                   static_cast<std::streamsize>(b4.size()));
        std::ofstream(dir + "/tcp6.bin", std::ios::binary)
            .write(reinterpret_cast<const char*>(b6.data()),
                   static_cast<std::streamsize>(b6.size()));
        std::ofstream expect(dir + "/expect.txt");
        expect << "seq inet " << kSeq4 << "\nseq inet6 " << kSeq6 << "\n";
        for (const auto& [fam, s, any] : {std::tuple{"inet", &v4, any4}, {"inet6", &v6, any6}}) {
            expect << line(fam, "LISTEN", s->listen_ep,
                           {s->listen_ep.addr.family == AF_INET ? any4.addr : any6.addr, 0});
            expect << line(fam, "ESTABLISHED", s->client_ep, s->listen_ep);
            expect << line(fam, "ESTABLISHED", s->listen_ep, s->client_ep);
            expect << line(fam, "TIME_WAIT", s->tw_ep, s->listen_ep);
        }
    } catch (const std::exception& e) {
        std::cerr << "keechoctl-record-diag: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
