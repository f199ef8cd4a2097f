#include "errors.h"
#include "number_parse.h"

#include <catch2/catch.hpp>

using namespace kecho::ctl;

TEST_CASE("decimal parsing is strict", "[numbers]") {
    CHECK(parse_decimal("0") == 0U);
    CHECK(parse_decimal("18446744073709551615") == 18446744073709551615ULL);
    for (const char* bad : {"", "-1", "+1", " 1", "1 ", "0x10", "1e3", "18446744073709551616"})
        CHECK_FALSE(parse_decimal(bad));
}

TEST_CASE("ports are 1-65535", "[numbers]") {
    CHECK(parse_port("1", "--port") == 1);
    CHECK(parse_port("65535", "--port") == 65535);
    CHECK_THROWS_WITH(parse_port("0", "--port"), "--port: '0' is not a valid port (1-65535)");
    CHECK_THROWS_WITH(parse_port("65536", "--port"), Catch::Contains("not a valid port"));
    CHECK_THROWS_WITH(parse_port("http", "--sport"), "--sport: 'http' is not a number");
    CHECK_THROWS_AS(parse_port("", "--port"), UsageError);
}

TEST_CASE("backlog, bits and kernel bools", "[numbers]") {
    CHECK(parse_backlog("128", "--backlog") == 128);
    CHECK_THROWS_AS(parse_backlog("0", "--backlog"), UsageError);
    CHECK_THROWS_AS(parse_backlog("65536", "--backlog"), UsageError);
    CHECK(parse_bit("1", "--bench"));
    CHECK_FALSE(parse_bit("0", "--bench"));
    CHECK_THROWS_WITH(parse_bit("Y", "--bench"), "--bench: 'Y' must be 0 or 1");
    CHECK(parse_kernel_bool("Y") == true);
    CHECK(parse_kernel_bool("n") == false);
    CHECK_FALSE(parse_kernel_bool("maybe"));
}
