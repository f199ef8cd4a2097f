#include "options.h"

#include <catch2/catch.hpp>
#include <vector>

using namespace kecho::bench;

namespace {
Options parse(std::vector<const char*> v) {
    return parse_options(v);
}
} // namespace

TEST_CASE("bench options: defaults") {
    auto o = parse({});
    CHECK(o.host == "127.0.0.1");
    CHECK(o.port == 12345);
    CHECK(o.mode == Mode::rr);
    CHECK(o.format == Format::human);
    CHECK(o.requests == 0);
    CHECK(o.steps.back() == 1000);
}

TEST_CASE("bench options: every option, both spellings") {
    auto o = parse({"--host=::1", "--port", "9000", "--conns", "64", "--threads=2", "--size",
                    "1024", "--requests", "5000", "--warmup=0.5", "--mode", "crr", "--format=csv",
                    "--label", "kecho-bench1", "--no-header"});
    CHECK(o.host == "::1");
    CHECK(o.port == 9000);
    CHECK(o.conns == 64);
    CHECK(o.threads == 2);
    CHECK(o.size == 1024);
    CHECK(o.requests == 5000);
    CHECK(o.warmup == Approx(0.5));
    CHECK(o.mode == Mode::crr);
    CHECK(o.format == Format::csv);
    CHECK(o.label == "kecho-bench1");
    CHECK_FALSE(o.header);
    auto s = parse({"--mode", "sweep", "--steps", "1,50,1000", "--rounds=3", "--duration", "2.5"});
    CHECK(s.mode == Mode::sweep);
    CHECK(s.steps == std::vector<unsigned>{1, 50, 1000});
    CHECK(s.rounds == 3);
    CHECK(s.duration == Approx(2.5));
    CHECK(parse({"--mode=idle"}).mode == Mode::idle);
    CHECK(parse({"--mode=stream", "--format=json"}).format == Format::json);
    CHECK(parse({"--mode=stream"}).size == kStreamDefaultSize);
    CHECK_FALSE(parse({"--mode=rr"}).blocking);
    CHECK(parse({"--mode=idle"}).sources == 0);
    CHECK(parse({"--mode=idle", "--sources=4"}).sources == 4);
    CHECK(parse({"--mode=crr", "--client=blocking"}).blocking);
    CHECK_FALSE(parse({"--mode=rr", "--client=epoll"}).blocking);
    CHECK(parse({"--mode=stream", "--size=4096"}).size == 4096);
}

TEST_CASE("bench options: bad input names the option") {
    CHECK_THROWS_WITH(parse({"--mode", "fast"}), Catch::Contains("--mode"));
    CHECK_THROWS_WITH(parse({"--format", "xml"}), Catch::Contains("xml"));
    CHECK_THROWS_WITH(parse({"--conns", "0"}), Catch::Contains("--conns"));
    CHECK_THROWS_WITH(parse({"--size", "-5"}), Catch::Contains("--size"));
    CHECK_THROWS_WITH(parse({"--duration", "0"}), Catch::Contains("--duration"));
    CHECK_THROWS_WITH(parse({"--duration", "abc"}), Catch::Contains("abc"));
    CHECK_THROWS_WITH(parse({"--steps", "1,,3"}), Catch::Contains("--steps"));
    CHECK_THROWS_WITH(parse({"--steps", "10,"}), Catch::Contains("--steps"));
    CHECK_THROWS_WITH(parse({"--label", "a,b"}), Catch::Contains("--label"));
    CHECK_THROWS_WITH(parse({"--host"}), Catch::Contains("option --host needs a value"));
    CHECK_THROWS_WITH(parse({"--host="}), Catch::Contains("--host"));
    CHECK_THROWS_WITH(parse({"--no-header=1"}), Catch::Contains("--no-header takes no value"));
    CHECK_THROWS_WITH(parse({"--size", "64k"}), Catch::Contains("--size: '64k'"));
    CHECK_THROWS_WITH(parse({"rr"}), Catch::Contains("unexpected argument 'rr'"));
    CHECK_THROWS_WITH(parse({"--duration=1", "--requests=5"}), Catch::Contains("exclude"));
    CHECK_THROWS_WITH(parse({"--bogus"}), Catch::Contains("unknown option"));
}

TEST_CASE("bench options: --framed, for rr and crr only") {
    CHECK_FALSE(parse({}).framed);
    CHECK(parse({"--framed"}).framed);
    CHECK(parse({"--mode=crr", "--framed"}).framed);
    CHECK_THROWS_WITH(parse({"--mode=stream", "--framed"}), Catch::Contains("--framed"));
    CHECK_THROWS_WITH(parse({"--client=threads"}), Catch::Contains("--client"));
    CHECK_THROWS_WITH(parse({"--sources=0"}), Catch::Contains("--sources"));
    CHECK_THROWS_WITH(parse({"--sources=255"}), Catch::Contains("--sources"));
    CHECK_THROWS_WITH(parse({"--mode=stream", "--client=blocking"}),
                      Catch::Contains("--client blocking"));
    CHECK_THROWS_WITH(parse({"--mode=sweep", "--framed"}), Catch::Contains("--framed"));
    CHECK_THROWS_WITH(parse({"--framed=1"}), Catch::Contains("--framed takes no value"));
}
