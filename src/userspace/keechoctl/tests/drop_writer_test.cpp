#include "drop_writer.h"
#include "errors.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <sys/socket.h>

using namespace kecho::ctl;
using kecho::ctl::test::TempDir;

namespace {

SockInfo sock(const char* src, std::uint16_t sport, const char* dst, std::uint16_t dport) {
    SockInfo s;
    s.src = *parse_inet_addr(src);
    s.dst = *parse_inet_addr(dst);
    s.family = s.src.family;
    s.sport = sport;
    s.dport = dport;
    return s;
}

} // namespace

TEST_CASE("drop lines are LOCAL REMOTE with [v6]:port", "[drop]") {
    CHECK(format_drop_line(sock("127.0.0.1", 12345, "127.0.0.1", 40000)) ==
          "127.0.0.1:12345 127.0.0.1:40000\n");
    CHECK(format_drop_line(sock("::1", 12345, "::1", 40000)) == "[::1]:12345 [::1]:40000\n");
    CHECK(format_drop_line(sock("::ffff:127.0.0.1", 1, "::ffff:127.0.0.2", 2)) ==
          "[::ffff:127.0.0.1]:1 [::ffff:127.0.0.2]:2\n");
}

TEST_CASE("the writer writes one line per connection", "[drop]") {
    const TempDir dir;
    dir.write("drop_tcp_sock", "");
    DropWriter w(dir.path() + "/drop_tcp_sock");
    CHECK(w.drop(sock("127.0.0.1", 1, "127.0.0.1", 2)) == DropOutcome::Dropped);
    CHECK(w.drop(sock("::1", 3, "::1", 4)) == DropOutcome::Dropped);
    w.close();
    CHECK(dir.read("drop_tcp_sock") == "127.0.0.1:1 127.0.0.1:2\n[::1]:3 [::1]:4\n");
}

TEST_CASE("a missing control file is a system error", "[drop]") {
    const TempDir dir;
    CHECK_THROWS_WITH(DropWriter(dir.path() + "/nope"), Catch::Contains("cannot open"));
}
