#define CATCH_CONFIG_MAIN
#include "args.h"

#include <catch2/catch.hpp>
#include <stdexcept>

using kecho::testclient::Args;
using kecho::testclient::parse_size;

TEST_CASE("sizes accept k and M suffixes") {
    CHECK(parse_size("0", "x") == 0);
    CHECK(parse_size("17", "x") == 17);
    CHECK(parse_size("64k", "x") == 65536);
    CHECK(parse_size("16M", "x") == std::uint64_t{16} * 1024 * 1024);
}

TEST_CASE("bad sizes are refused") {
    CHECK_THROWS_AS(parse_size("", "x"), std::invalid_argument);
    CHECK_THROWS_AS(parse_size("k", "x"), std::invalid_argument);
    CHECK_THROWS_AS(parse_size("12q", "x"), std::invalid_argument);
    CHECK_THROWS_AS(parse_size("1kk", "x"), std::invalid_argument);
    CHECK_THROWS_AS(parse_size("99999999999999999999", "x"), std::invalid_argument);
    CHECK_THROWS_AS(parse_size("18446744073709551615M", "x"), std::invalid_argument);
}

TEST_CASE("options are checked against the allowed names") {
    const Args a({"--size", "10", "--port=99"}, {"size", "port"});
    CHECK(a.num("size", 1) == 10);
    CHECK(a.num("port", 1) == 99);
    CHECK(a.num("other", 5) == 5);
    CHECK_FALSE(a.has("other"));
    CHECK_THROWS_AS(Args({"--nope", "1"}, {"size"}), std::invalid_argument);
    CHECK_THROWS_AS(Args({"--size"}, {"size"}), std::invalid_argument);
    CHECK_THROWS_AS(Args({"size"}, {"size"}), std::invalid_argument);
}
