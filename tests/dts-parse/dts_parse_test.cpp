// drop-tcp-socket's line parser (src/kernel/dts_parse.c, compiled as is
// against small userspace stand-ins for the kernel headers it includes).
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/tcp.h>
#include <string>

extern "C" {
#include "dts.h"
}

namespace {

struct Parsed {
    int err = 0;
    dts_tuple t{};
};

Parsed parse(const std::string& line) {
    Parsed p;
    p.err = dts_parse_line(line.data(), line.size(), &p.t);
    return p;
}

std::string addr(const in6_addr& a, bool v4) {
    char text[INET6_ADDRSTRLEN] = {};
    if (v4)
        inet_ntop(AF_INET, &a.s6_addr[12], text, sizeof(text));
    else
        inet_ntop(AF_INET6, &a, text, sizeof(text));
    return text;
}

} // namespace

TEST_CASE("dts_parse: the two ends, as netstat and ss print them") {
    struct Row {
        const char* line;
        bool v4;
        const char* local;
        unsigned lport;
        const char* remote;
        unsigned rport;
    };
    const Row rows[] = {
        {"127.0.0.1:40000 127.0.0.1:12345", true, "127.0.0.1", 40000, "127.0.0.1", 12345},
        {" \t10.0.0.1:1\t10.0.0.2:65535 \r", true, "10.0.0.1", 1, "10.0.0.2", 65535},
        {"[::1]:40000 [::1]:12345", false, "::1", 40000, "::1", 12345},
        {"::1:40000 ::1:12345", false, "::1", 40000, "::1", 12345},
        {"::ffff:127.0.0.1:12345 ::ffff:127.0.0.1:40000", true, "127.0.0.1", 12345, "127.0.0.1",
         40000},
        {"[2001:db8::1]:80 [2001:db8::2]:443", false, "2001:db8::1", 80, "2001:db8::2", 443},
    };
    for (const Row& r : rows) {
        INFO(r.line);
        const Parsed p = parse(r.line);
        REQUIRE(p.err == 0);
        CHECK(p.t.v4 == r.v4);
        CHECK(addr(p.t.laddr, r.v4) == r.local);
        CHECK(p.t.lport == r.lport);
        CHECK(addr(p.t.raddr, r.v4) == r.remote);
        CHECK(p.t.rport == r.rport);
        CHECK(p.t.state == 0);
        CHECK_FALSE(p.t.has_cookie);
    }
}

TEST_CASE("dts_parse: the state, as netstat or ss print it") {
    struct Row {
        const char* state;
        int want;
    };
    const Row rows[] = {
        {"TIME_WAIT", TCP_TIME_WAIT},   {"time-wait", TCP_TIME_WAIT},
        {"TIME-WAIT", TCP_TIME_WAIT},   {"ESTABLISHED", TCP_ESTABLISHED},
        {"ESTAB", TCP_ESTABLISHED},     {"SYN_SENT", TCP_SYN_SENT},
        {"SYN-RECV", TCP_SYN_RECV},     {"FIN_WAIT1", TCP_FIN_WAIT1},
        {"FIN-WAIT-1", TCP_FIN_WAIT1},  {"fin_wait2", TCP_FIN_WAIT2},
        {"FIN-WAIT-2", TCP_FIN_WAIT2},  {"CLOSE_WAIT", TCP_CLOSE_WAIT},
        {"LAST-ACK", TCP_LAST_ACK},     {"CLOSING", TCP_CLOSING},
    };
    for (const Row& r : rows) {
        INFO(r.state);
        const Parsed p = parse(std::string("127.0.0.1:1 127.0.0.1:2 ") + r.state);
        REQUIRE(p.err == 0);
        CHECK(p.t.state == r.want);
    }
}

TEST_CASE("dts_parse: the cookie, decimal or hex, in either order with the state") {
    Parsed p = parse("127.0.0.1:1 127.0.0.1:2 cookie=4097");
    REQUIRE(p.err == 0);
    CHECK(p.t.has_cookie);
    CHECK(p.t.cookie == 4097);

    p = parse("127.0.0.1:1 127.0.0.1:2 cookie=0x1001 TIME_WAIT");
    REQUIRE(p.err == 0);
    CHECK(p.t.cookie == 4097);
    CHECK(p.t.state == TCP_TIME_WAIT);

    p = parse("[::1]:1 [::1]:2 ESTAB cookie=18446744073709551614 ");
    REQUIRE(p.err == 0);
    CHECK(p.t.cookie == 18446744073709551614ULL);
    CHECK(p.t.state == TCP_ESTABLISHED);
}

TEST_CASE("dts_parse: blank and malformed lines") {
    CHECK(parse("").err == -ENODATA);
    CHECK(parse(" \t\r").err == -ENODATA);
    const char* bad[] = {
        "127.0.0.1:1",
        "127.0.0.1:1 ",
        "127.0.0.1:0 127.0.0.1:2",
        "127.0.0.1:1 127.0.0.1:65536",
        "127.0.0.1:1 127.0.0.1:+2",
        "127.0.0.1:1 127.0.0.1:000002",
        "127.0.0.1:1 [::1]:2",
        "256.0.0.1:1 127.0.0.1:2",
        "127.0.0.1 127.0.0.1:2",
        "[::1:1 [::1]:2",
        "[::1]1 [::1]:2",
        "fe80::1%eth0:1 fe80::2:2",
        "127.0.0.1:1 127.0.0.1:2 LISTEN",
        "127.0.0.1:1 127.0.0.1:2 CLOSE",
        "127.0.0.1:1 127.0.0.1:2 TIME_WAITX",
        "127.0.0.1:1 127.0.0.1:2 TIME_WAIT ESTAB",
        "127.0.0.1:1 127.0.0.1:2 cookie=1 cookie=1",
        "127.0.0.1:1 127.0.0.1:2 cookie=",
        "127.0.0.1:1 127.0.0.1:2 cookie=0x",
        "127.0.0.1:1 127.0.0.1:2 cookie=-1",
        "127.0.0.1:1 127.0.0.1:2 cookie=12a",
        "127.0.0.1:1 127.0.0.1:2 cookie=18446744073709551616",
        "127.0.0.1:1 127.0.0.1:2 cookie=0x10000000000000000",
        "127.0.0.1:1 127.0.0.1:2 cookie=18446744073709551615",
        "127.0.0.1:1 127.0.0.1:2 Cookie=1",
    };
    for (const char* line : bad) {
        INFO(line);
        CHECK(parse(line).err == -EINVAL);
    }
    // Any byte may come in: a NUL in the middle is just a bad character.
    CHECK(parse(std::string("127.0.0.1:1\0 127.0.0.1:2", 24)).err == -EINVAL);
}
