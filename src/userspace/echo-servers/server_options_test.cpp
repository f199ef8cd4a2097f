#include "server_options.h"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <vector>

using kecho::parse_server_options;

namespace {
kecho::ServerOptions parse(std::vector<const char*> v) {
    return parse_server_options(v);
}
} // namespace

TEST_CASE("server options default like the kecho module") {
    auto o = parse({});
    CHECK(o.port == 12345);
    CHECK(o.backlog == 128);
    CHECK(o.bind.empty());
    CHECK(o.threads == 0);
    CHECK_FALSE(o.single_shot);
}

TEST_CASE("server options take both --opt value and --opt=value") {
    auto o = parse({"--port", "8080", "--backlog=512", "--bind", "::1", "--threads=3"});
    CHECK(o.port == 8080);
    CHECK(o.backlog == 512);
    CHECK(o.bind == "::1");
    CHECK(o.threads == 3);
    CHECK(parse({"--bind=127.0.0.1"}).bind == "127.0.0.1");
    CHECK(parse({"--bind="}).bind.empty());
    CHECK(parse({"--single-shot"}).single_shot);
    CHECK(parse({"-h"}).help);
}

TEST_CASE("server options reject bad input with the option's name") {
    CHECK_THROWS_WITH(parse({"--port", "0"}), Catch::Contains("--port"));
    CHECK_THROWS_WITH(parse({"--port", "65536"}), Catch::Contains("--port"));
    CHECK_THROWS_WITH(parse({"--port", "12x"}), Catch::Contains("12x"));
    CHECK_THROWS_WITH(parse({"--port", "-1"}), Catch::Contains("--port"));
    CHECK_THROWS_WITH(parse({"--port"}), Catch::Contains("option --port needs a value"));
    CHECK_THROWS_WITH(parse({"--backlog="}), Catch::Contains("--backlog"));
    CHECK_THROWS_WITH(parse({"--bind", "localhost"}), Catch::Contains("not an IPv4 or IPv6"));
    CHECK_THROWS_WITH(parse({"--bind", "1.2.3.4.5"}), Catch::Contains("1.2.3.4.5"));
    CHECK_THROWS_WITH(parse({"--frobnicate"}), Catch::Contains("unknown option"));
    CHECK_THROWS_AS(parse({"port"}), std::invalid_argument);
}
