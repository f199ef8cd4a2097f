#include "errors.h"
#include "filters.h"
#include "tcp_state.h"

#include <catch2/catch.hpp>

using namespace kecho::ctl;

namespace {

SockInfo sock(const char* src, std::uint16_t sport, const char* dst, std::uint16_t dport,
              unsigned state) {
    SockInfo s;
    s.src = *parse_inet_addr(src);
    s.dst = *parse_inet_addr(dst);
    s.family = s.src.family;
    s.sport = sport;
    s.dport = dport;
    s.state = state;
    return s;
}

} // namespace

TEST_CASE("an empty filter matches everything and says so", "[filter]") {
    const SockFilter f = parse_filter({});
    CHECK(f.empty());
    CHECK(f.state_mask() == kAllStates);
    CHECK(f.matches(sock("1.2.3.4", 1, "5.6.7.8", 2, kListen)));
    CHECK(f.describe() == "all sockets");
}

TEST_CASE("port filters: --port matches either end, --sport/--dport one", "[filter]") {
    FilterArgs a;
    a.port = "12345";
    const SockFilter f = parse_filter(a);
    CHECK_FALSE(f.empty());
    CHECK(f.matches(sock("127.0.0.1", 12345, "127.0.0.1", 40000, kEstablished)));
    CHECK(f.matches(sock("127.0.0.1", 40000, "127.0.0.1", 12345, kEstablished)));
    CHECK_FALSE(f.matches(sock("127.0.0.1", 40000, "127.0.0.1", 40001, kEstablished)));

    FilterArgs s;
    s.sport = "12345";
    CHECK_FALSE(
        parse_filter(s).matches(sock("127.0.0.1", 40000, "127.0.0.1", 12345, kEstablished)));
    FilterArgs d;
    d.dport = "12345";
    CHECK(parse_filter(d).matches(sock("127.0.0.1", 40000, "127.0.0.1", 12345, kEstablished)));
}

TEST_CASE("states combine, addresses filter, everything ANDs", "[filter]") {
    FilterArgs a;
    a.states = {"TIME_WAIT", "established"};
    a.src = "::1";
    a.dport = "80";
    const SockFilter f = parse_filter(a);
    CHECK(f.states == (state_bit(kTimeWait) | state_bit(kEstablished)));
    CHECK(f.matches(sock("::1", 5, "::1", 80, kTimeWait)));
    CHECK(f.matches(sock("::1", 5, "::1", 80, kEstablished)));
    CHECK_FALSE(f.matches(sock("::1", 5, "::1", 80, kListen)));
    CHECK_FALSE(f.matches(sock("::2", 5, "::1", 80, kTimeWait)));
    CHECK_FALSE(f.matches(sock("::1", 5, "::1", 81, kTimeWait)));
    CHECK(f.describe() == "state ESTABLISHED|TIME_WAIT, dport 80, src ::1");

    FilterArgs m;
    m.dst = "127.0.0.0/8";
    CHECK(
        parse_filter(m).matches(sock("::ffff:127.0.0.1", 1, "::ffff:127.0.0.2", 2, kEstablished)));
}

TEST_CASE("bad filter values name the flag", "[filter]") {
    FilterArgs a;
    a.states = {"ESTABLISHED", "SORTA_OPEN"};
    CHECK_THROWS_WITH(parse_filter(a),
                      Catch::StartsWith("--state: unknown TCP state 'SORTA_OPEN'"));
    FilterArgs p;
    p.port = "0";
    CHECK_THROWS_WITH(parse_filter(p), Catch::StartsWith("--port: '0'"));
    FilterArgs d;
    d.dst = "1.2.3.4/40";
    CHECK_THROWS_AS(parse_filter(d), UsageError);
}
