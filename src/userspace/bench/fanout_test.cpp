#include "fanout.h"
#include "options.h"

#include <catch2/catch.hpp>
#include <vector>

using namespace kecho::bench;

TEST_CASE("fanout: the stamp survives the body, big-endian") {
    std::vector<char> body(64, 'x');
    FanoutStamp s;
    s.sender = 99;
    s.flags = FanoutStamp::kProbe;
    s.seq = 0x0102030405060708ULL;
    s.sent_ns = 123456789012345ULL;
    write_stamp(body, s);
    CHECK(body[8] == 1);
    CHECK(body[15] == 8);
    const FanoutStamp r = read_stamp(body);
    CHECK(r.sender == 99);
    CHECK(r.flags == FanoutStamp::kProbe);
    CHECK(r.seq == s.seq);
    CHECK(r.sent_ns == s.sent_ns);
    CHECK(body[24] == 'x');
}

TEST_CASE("fanout: barrier probes back off, 100 ms doubling to 3.2 s") {
    CHECK(probe_gap_ns(1) == 100'000'000U);
    CHECK(probe_gap_ns(2) == 200'000'000U);
    CHECK(probe_gap_ns(3) == 400'000'000U);
    CHECK(probe_gap_ns(6) == 3'200'000'000U);
    CHECK(probe_gap_ns(7) == 3'200'000'000U);
    CHECK(probe_gap_ns(1000) == 3'200'000'000U);
}

TEST_CASE("fanout options") {
    std::vector<const char*> a{"--mode", "fanout", "--senders",  "100",          "--receivers=100",
                               "--rate", "2000",   "--window=8", "--server-pid", "42"};
    const Options o = parse_options(a);
    CHECK(o.mode == Mode::fanout);
    CHECK(o.senders == 100);
    CHECK(o.receivers == 100);
    CHECK(o.rate == Approx(2000));
    CHECK(o.window == 8);
    CHECK(o.server_pid == 42);
    std::vector<const char*> small{"--mode=fanout", "--size=8"};
    CHECK_THROWS_WITH(parse_options(small), Catch::Contains("--size"));
    std::vector<const char*> stray{"--senders=2"};
    CHECK_THROWS_WITH(parse_options(stray), Catch::Contains("--mode fanout"));
    std::vector<const char*> both{"--mode=fanout", "--server-pid=1", "--server-kworkers"};
    CHECK_THROWS_WITH(parse_options(both), Catch::Contains("exclude"));
    // The server's CPU is measured in the timed modes too, not in sweep or idle.
    std::vector<const char*> rr{"--mode=rr", "--server-pid=7"};
    CHECK(parse_options(rr).server_pid == 7);
    std::vector<const char*> crr{"--mode=crr", "--server-kworkers"};
    CHECK(parse_options(crr).server_kworkers);
    std::vector<const char*> rr_both{"--mode=rr", "--server-pid=1", "--server-kworkers"};
    CHECK_THROWS_WITH(parse_options(rr_both), Catch::Contains("exclude"));
    std::vector<const char*> sweep{"--mode=sweep", "--server-kworkers"};
    CHECK_THROWS_WITH(parse_options(sweep), Catch::Contains("not with --mode sweep"));
    std::vector<const char*> alone{"--mode=fanout", "--senders=1", "--receivers=0"};
    CHECK_THROWS_WITH(parse_options(alone), Catch::Contains("two clients"));
}
