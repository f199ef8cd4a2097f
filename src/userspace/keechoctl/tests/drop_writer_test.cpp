#include "drop_writer.h"
#include "errors.h"
#include "tcp_state.h"
#include "test_util.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <sys/socket.h>

using namespace kecho::ctl;
using kecho::ctl::test::TempDir;

namespace {

SockInfo sock(const char* src, std::uint16_t sport, const char* dst, std::uint16_t dport,
              unsigned state = kTimeWait, std::uint64_t cookie = 4099) {
    SockInfo s;
    s.state = state;
    s.cookie = cookie;
    s.src = *parse_inet_addr(src);
    s.dst = *parse_inet_addr(dst);
    s.family = s.src.family;
    s.sport = sport;
    s.dport = dport;
    return s;
}

} // namespace

TEST_CASE("drop lines are LOCAL REMOTE STATE cookie=N with [v6]:port", "[drop]") {
    CHECK(format_drop_line(sock("127.0.0.1", 12345, "127.0.0.1", 40000)) ==
          "127.0.0.1:12345 127.0.0.1:40000 TIME_WAIT cookie=4099\n");
    CHECK(format_drop_line(sock("::1", 12345, "::1", 40000, kEstablished, 0)) ==
          "[::1]:12345 [::1]:40000 ESTABLISHED cookie=0\n");
    CHECK(format_drop_line(sock("::ffff:127.0.0.1", 1, "::ffff:127.0.0.2", 2, kSynRecv)) ==
          "[::ffff:127.0.0.1]:1 [::ffff:127.0.0.2]:2 SYN_RECV cookie=4099\n");
    // The whole u64: both halves of inet_diag's idiag_cookie.
    CHECK(
        format_drop_line(sock("127.0.0.1", 1, "127.0.0.1", 2, kFinWait1, 0xffffffff00000001ULL)) ==
        "127.0.0.1:1 127.0.0.1:2 FIN_WAIT1 cookie=18446744069414584321\n");
}

TEST_CASE("every state drop may name is one the module accepts", "[drop]") {
    // The kernel's grammar: netstat's or ss's names; drop never sends LISTEN or CLOSE.
    const std::vector<std::string> accepted = {"ESTABLISHED", "SYN_SENT",  "SYN_RECV",
                                               "FIN_WAIT1",   "FIN_WAIT2", "TIME_WAIT",
                                               "CLOSE_WAIT",  "LAST_ACK",  "CLOSING"};
    for (unsigned s = kEstablished; s < kMaxState; ++s) {
        if (s == kListen || s == kClose || s == kNewSynRecv)
            continue;
        INFO(s);
        CHECK(std::find(accepted.begin(), accepted.end(), std::string(tcp_state_name(s))) !=
              accepted.end());
    }
}

TEST_CASE("the writer writes one line per connection", "[drop]") {
    const TempDir dir;
    dir.write("drop_tcp_sock", "");
    DropWriter w(dir.path() + "/drop_tcp_sock");
    CHECK(w.drop(sock("127.0.0.1", 1, "127.0.0.1", 2)) == DropOutcome::Dropped);
    CHECK(w.drop(sock("::1", 3, "::1", 4)) == DropOutcome::Dropped);
    w.close();
    CHECK(dir.read("drop_tcp_sock") ==
          "127.0.0.1:1 127.0.0.1:2 TIME_WAIT cookie=4099\n[::1]:3 [::1]:4 TIME_WAIT cookie=4099\n");
}

TEST_CASE("a missing control file is a system error", "[drop]") {
    const TempDir dir;
    CHECK_THROWS_WITH(DropWriter(dir.path() + "/nope"), Catch::Contains("cannot open"));
}
