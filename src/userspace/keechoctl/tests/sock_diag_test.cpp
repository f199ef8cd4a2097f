// sock_diag request bytes and reply parsing, against replies recorded from a
// real kernel by keechoctl-record-diag (see testdata/README); what is built
// on SockDiag, against a fake.
#include "errors.h"
#include "filters.h"
#include "sock_diag.h"
#include "tcp_state.h"
#include "test_util.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <iterator>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <set>
#include <sstream>
#include <sys/socket.h>
#include <utility>

using namespace kecho::ctl;

namespace {

const std::string kData = KEECHOCTL_TESTDATA;

struct Expected {
    std::uint32_t seq4 = 0;
    std::uint32_t seq6 = 0;
    std::vector<std::string> sockets; // "inet STATE LOCAL REMOTE"
};

Expected load_expected() {
    Expected e;
    std::ifstream in(kData + "/expect.txt");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        std::string first;
        ls >> first;
        if (first == "seq") {
            std::string fam;
            std::uint32_t seq = 0;
            ls >> fam >> seq;
            (fam == "inet" ? e.seq4 : e.seq6) = seq;
        } else if (!line.empty()) {
            e.sockets.push_back(line);
        }
    }
    return e;
}

std::string describe(const SockInfo& s) {
    return std::string(s.family == AF_INET ? "inet " : "inet6 ") +
           std::string(tcp_state_name(s.state)) + " " + format_endpoint(s.src, s.sport) + " " +
           format_endpoint(s.dst, s.dport);
}

std::vector<SockInfo> parse_file(const std::string& name, std::uint32_t seq) {
    const auto bytes = test::read_binary(kData + "/" + name);
    REQUIRE(!bytes.empty());
    std::vector<SockInfo> out;
    CHECK(parse_tcp_dump_reply(bytes, seq, 0, out) == DumpProgress::Done);
    return out;
}

} // namespace

TEST_CASE("the dump request is a SOCK_DIAG_BY_FAMILY inet_diag_req_v2", "[sock_diag]") {
    const auto req = build_tcp_dump_request(AF_INET6, state_bit(kTimeWait), 77);
    REQUIRE(req.size() == NLMSG_HDRLEN + sizeof(inet_diag_req_v2));
    nlmsghdr nlh{};
    std::memcpy(&nlh, req.data(), sizeof(nlh));
    CHECK(nlh.nlmsg_len == req.size());
    CHECK(nlh.nlmsg_type == SOCK_DIAG_BY_FAMILY);
    CHECK(nlh.nlmsg_flags == (NLM_F_REQUEST | NLM_F_DUMP));
    CHECK(nlh.nlmsg_seq == 77);
    inet_diag_req_v2 body{};
    std::memcpy(&body, req.data() + NLMSG_HDRLEN, sizeof(body));
    CHECK(body.sdiag_family == AF_INET6);
    CHECK(body.sdiag_protocol == IPPROTO_TCP);
    CHECK(body.idiag_states == (1U << 6));
    CHECK(body.idiag_ext == 0);
    const inet_diag_sockid zero{};
    CHECK(std::memcmp(&body.id, &zero, sizeof(zero)) == 0);
}

TEST_CASE("recorded IPv4 and IPv6 replies parse into the sockets that were made", "[sock_diag]") {
    const Expected e = load_expected();
    REQUIRE(e.sockets.size() == 8);
    auto socks = parse_file("tcp4.bin", e.seq4);
    const auto v6 = parse_file("tcp6.bin", e.seq6);
    socks.insert(socks.end(), v6.begin(), v6.end());
    std::vector<std::string> got(socks.size());
    std::transform(socks.begin(), socks.end(), got.begin(), describe);
    for (const auto& want : e.sockets) {
        INFO(want);
        CHECK(std::count(got.begin(), got.end(), want) == 1);
    }
    for (const auto& s : socks) {
        CHECK((s.src.family == s.family && s.dst.family == s.family));
        if (s.state == kTimeWait)
            CHECK(s.inode == 0);
    }
}

TEST_CASE("replies from another request are rejected", "[sock_diag]") {
    const Expected e = load_expected();
    const auto bytes = test::read_binary(kData + "/tcp4.bin");
    std::vector<SockInfo> out;
    CHECK_THROWS_AS(parse_tcp_dump_reply(bytes, e.seq4 + 1, 0, out), std::system_error);
}

TEST_CASE("a truncated reply is an error, not garbage", "[sock_diag]") {
    const Expected e = load_expected();
    auto bytes = test::read_binary(kData + "/tcp4.bin");
    // Claim a message shorter than inet_diag_msg.
    nlmsghdr nlh{};
    std::memcpy(&nlh, bytes.data(), sizeof(nlh));
    nlh.nlmsg_len = NLMSG_HDRLEN + 8;
    std::memcpy(bytes.data(), &nlh, sizeof(nlh));
    std::vector<SockInfo> out;
    CHECK_THROWS_AS(parse_tcp_dump_reply(bytes, e.seq4, 0, out), std::system_error);
}

TEST_CASE("a datagram without NLMSG_DONE asks for more", "[sock_diag]") {
    const Expected e = load_expected();
    auto bytes = test::read_binary(kData + "/tcp4.bin");
    nlmsghdr first{};
    std::memcpy(&first, bytes.data(), sizeof(first));
    bytes.resize(NLMSG_ALIGN(first.nlmsg_len));
    std::vector<SockInfo> out;
    CHECK(parse_tcp_dump_reply(bytes, e.seq4, 0, out) == DumpProgress::More);
    CHECK(out.size() == 1);
}

TEST_CASE("NLMSG_ERROR carries the kernel's errno", "[sock_diag]") {
    std::vector<std::uint8_t> buf(NLMSG_HDRLEN + sizeof(nlmsgerr));
    nlmsghdr nlh{};
    nlh.nlmsg_len = static_cast<std::uint32_t>(buf.size());
    nlh.nlmsg_type = NLMSG_ERROR;
    nlh.nlmsg_seq = 5;
    nlmsgerr err{};
    err.error = -ENOENT;
    std::memcpy(buf.data(), &nlh, sizeof(nlh));
    std::memcpy(buf.data() + NLMSG_HDRLEN, &err, sizeof(err));
    std::vector<SockInfo> out;
    CHECK_THROWS_WITH(parse_tcp_dump_reply(buf, 5, 0, out),
                      Catch::Contains("No such file or directory"));
}

TEST_CASE("the socket cookie is both halves of idiag_cookie, high word second", "[sock_diag]") {
    const Expected e = load_expected();
    auto bytes = test::read_binary(kData + "/tcp4.bin");
    nlmsghdr first{};
    std::memcpy(&first, bytes.data(), sizeof(first));
    bytes.resize(NLMSG_ALIGN(first.nlmsg_len));
    inet_diag_msg msg{};
    std::memcpy(&msg, bytes.data() + NLMSG_HDRLEN, sizeof(msg));
    msg.id.idiag_cookie[0] = 0x11223344;
    msg.id.idiag_cookie[1] = 0x55667788;
    std::memcpy(bytes.data() + NLMSG_HDRLEN, &msg, sizeof(msg));
    std::vector<SockInfo> out;
    parse_tcp_dump_reply(bytes, e.seq4, 0, out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].cookie == 0x5566778811223344ULL);
}

TEST_CASE("recorded sockets each carry their own cookie", "[sock_diag]") {
    const Expected e = load_expected();
    auto socks = parse_file("tcp4.bin", e.seq4);
    const auto v6 = parse_file("tcp6.bin", e.seq6);
    socks.insert(socks.end(), v6.begin(), v6.end());
    std::set<std::uint64_t> cookies;
    for (const auto& s : socks) {
        CHECK(s.cookie != 0);
        cookies.insert(s.cookie);
    }
    CHECK(cookies.size() == socks.size());
}

namespace {

// Fake kernel: a fixed socket list, and the dumps asked for.
class FakeSockDiag final : public SockDiag {
  public:
    std::vector<SockInfo> sockets;
    std::vector<std::pair<int, std::uint32_t>> dumps;

    std::vector<SockInfo> dump_tcp(int family, std::uint32_t states) override {
        dumps.emplace_back(family, states);
        std::vector<SockInfo> out;
        std::copy_if(sockets.begin(), sockets.end(), std::back_inserter(out),
                     [&](const SockInfo& s) {
                         return s.family == family && (states & state_bit(s.state)) != 0;
                     });
        return out;
    }
};

SockInfo sock(int family, unsigned state, std::uint16_t sport, std::uint16_t dport) {
    SockInfo s;
    s.family = family;
    s.state = state;
    s.src.family = s.dst.family = family;
    s.sport = sport;
    s.dport = dport;
    return s;
}

} // namespace

TEST_CASE("list_tcp_sockets asks for IPv4, then IPv6, in the states given", "[sock_diag]") {
    FakeSockDiag diag;
    diag.sockets = {sock(AF_INET6, kListen, 12345, 0), sock(AF_INET, kListen, 12345, 0),
                    sock(AF_INET, kEstablished, 12345, 40000)};
    const auto socks = list_tcp_sockets(diag, state_bit(kListen));
    CHECK(diag.dumps == std::vector<std::pair<int, std::uint32_t>>{{AF_INET, state_bit(kListen)},
                                                                   {AF_INET6, state_bit(kListen)}});
    REQUIRE(socks.size() == 2);
    CHECK(socks[0].family == AF_INET);
    CHECK(socks[1].family == AF_INET6);
}

TEST_CASE("select_sockets keeps what the filter matches, sorted", "[sock_diag]") {
    FakeSockDiag diag;
    diag.sockets = {sock(AF_INET, kTimeWait, 12345, 40002), sock(AF_INET, kTimeWait, 7, 40001),
                    sock(AF_INET, kEstablished, 12345, 40003),
                    sock(AF_INET, kTimeWait, 12345, 40000)};
    SockFilter filter;
    filter.states = state_bit(kTimeWait);
    filter.port = 12345;
    const auto socks = select_sockets(diag, filter);
    REQUIRE(socks.size() == 2);
    CHECK(socks[0].dport == 40000);
    CHECK(socks[1].dport == 40002);
    CHECK(diag.dumps.size() == 2);
    CHECK(diag.dumps[0].second == state_bit(kTimeWait));
}
