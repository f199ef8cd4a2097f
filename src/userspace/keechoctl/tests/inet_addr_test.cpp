#include "errors.h"
#include "inet_addr.h"

#include <catch2/catch.hpp>
#include <sys/socket.h>

using namespace kecho::ctl;

TEST_CASE("addresses parse and print", "[addr]") {
    const auto v4 = parse_inet_addr("127.0.0.1");
    REQUIRE(v4);
    CHECK(v4->family == AF_INET);
    CHECK(v4->to_string() == "127.0.0.1");
    const auto v6 = parse_inet_addr("[::1]");
    REQUIRE(v6);
    CHECK(v6->family == AF_INET6);
    CHECK(v6->to_string() == "::1");
    for (const char* bad : {"", "1.2.3", "256.0.0.1", "::g", "[::1", "localhost", "1.2.3.4 "})
        CHECK_FALSE(parse_inet_addr(bad));
}

TEST_CASE("endpoints print as ss and drop_tcp_sock want them", "[addr]") {
    CHECK(format_endpoint(*parse_inet_addr("10.0.0.1"), 80) == "10.0.0.1:80");
    CHECK(format_endpoint(*parse_inet_addr("fe80::1"), 443) == "[fe80::1]:443");
    CHECK(format_endpoint(*parse_inet_addr("::ffff:127.0.0.1"), 1) == "[::ffff:127.0.0.1]:1");
}

TEST_CASE("prefixes match, IPv4-mapped addresses included", "[addr]") {
    const Prefix p = parse_prefix("127.0.0.0/8", "--src");
    CHECK(p.contains(*parse_inet_addr("127.1.2.3")));
    CHECK_FALSE(p.contains(*parse_inet_addr("128.0.0.1")));
    CHECK(p.contains(*parse_inet_addr("::ffff:127.0.0.1")));
    CHECK_FALSE(p.contains(*parse_inet_addr("::1")));

    const Prefix host = parse_prefix("::1", "--src");
    CHECK(host.length == 128);
    CHECK(host.contains(*parse_inet_addr("::1")));
    CHECK_FALSE(host.contains(*parse_inet_addr("::2")));

    const Prefix odd = parse_prefix("10.0.0.0/9", "--dst");
    CHECK(odd.contains(*parse_inet_addr("10.127.255.255")));
    CHECK_FALSE(odd.contains(*parse_inet_addr("10.128.0.0")));

    CHECK(parse_prefix("0.0.0.0/0", "--dst").contains(*parse_inet_addr("8.8.8.8")));
    CHECK(parse_prefix("::ffff:10.0.0.0/104", "--dst").contains(*parse_inet_addr("10.9.9.9")));
}

TEST_CASE("bad prefixes are usage errors naming the flag", "[addr]") {
    for (const char* bad : {"1.2.3.4/33", "::1/129", "1.2.3.4/", "1.2.3.4/x", "/8", "nope"})
        CHECK_THROWS_WITH(parse_prefix(bad, "--src"), Catch::StartsWith("--src: '"));
    CHECK_THROWS_AS(parse_prefix("x", "--dst"), UsageError);
}
