// The shared number parsing: strict decimals, ranges, k/M sizes.
#include "parse_number.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

using kecho::parse_decimal;
using kecho::parse_number;
using kecho::parse_port;
using kecho::parse_size;
using kecho::UsageError;

TEST_CASE("decimal parsing is strict", "[numbers]") {
    CHECK(parse_decimal("0") == 0U);
    CHECK(parse_decimal("007") == 7U);
    CHECK(parse_decimal("18446744073709551615") == 18446744073709551615ULL);
    for (const char* bad : {"", "-1", "+1", " 1", "1 ", "0x10", "1e3", "18446744073709551616",
                            "000000000000000000001"})
        CHECK_FALSE(parse_decimal(bad));
}

TEST_CASE("numbers in a range name the option and the value", "[numbers]") {
    CHECK(parse_port("1", "--port") == 1);
    CHECK(parse_port("65535", "--port") == 65535);
    CHECK_THROWS_MATCHES(parse_port("0", "--port"), UsageError,
                         Catch::Message("--port: '0' is not a valid port (1-65535)"));
    CHECK_THROWS_WITH(parse_port("65536", "--port"), Catch::Contains("not a valid port"));
    CHECK_THROWS_WITH(parse_port("http", "--sport"), "--sport: 'http' is not a number");
    CHECK_THROWS_AS(parse_port("", "--port"), UsageError);
    CHECK(parse_number<unsigned>("3", "--conns", 1, 10) == 3);
    CHECK_THROWS_WITH(parse_number<unsigned>("0", "--conns", 1, 10),
                      "--conns: '0' is out of range (1-10)");
    CHECK_THROWS_WITH(parse_number<unsigned>("-5", "--size", 1, 10),
                      "--size: '-5' is not a number");
    CHECK(parse_number<std::uint64_t>("18446744073709551615", "--requests", 1, UINT64_MAX) ==
          UINT64_MAX);
    CHECK(kecho::parse_uint("4294967295", "--timeout") == 4294967295U);
    CHECK_THROWS_AS(kecho::parse_uint("4294967296", "--timeout"), UsageError);
}

TEST_CASE("floating point flags", "[numbers]") {
    CHECK(parse_number<double>("2.5", "--duration", 0.001, 86400.0) == Approx(2.5));
    CHECK(parse_number<double>("0", "--warmup", 0.0, 3600.0) == 0.0);
    CHECK_THROWS_WITH(parse_number<double>("0", "--duration", 0.001, 86400.0),
                      "--duration: '0' is out of range (0.001-86400)");
    for (const char* bad : {"", "abc", "1.5s", "nan", " 1"})
        CHECK_THROWS_WITH(parse_number<double>(bad, "--duration", 0.001, 86400.0),
                          Catch::Contains("--duration: '" + std::string(bad) + "'"));
}

TEST_CASE("sizes take k and M suffixes", "[numbers]") {
    const auto [text, value] = GENERATE(table<std::string, std::uint64_t>({
        {"0", 0},
        {"17", 17},
        {"64k", 65536},
        {"64K", 65536},
        {"16M", std::uint64_t{16} << 20},
        {"2m", std::uint64_t{2} << 20},
        {"18446744073709551615", UINT64_MAX},
    }));
    CHECK(parse_size(text, "--size") == value);
    CHECK_THROWS_WITH(parse_size("12q", "--size"),
                      "--size: '12q' is not a size (digits, then k or M at most)");
    CHECK_THROWS_WITH(parse_size("18446744073709551615M", "--size"),
                      "--size: '18446744073709551615M' is too large");
    for (const char* bad :
         {"", "k", "M", "1kk", "1 k", "-1", "0x10", "1.5k", "99999999999999999999"})
        CHECK_THROWS_WITH(parse_size(bad, "--size"),
                          Catch::StartsWith("--size: '" + std::string(bad) + "'"));
}
