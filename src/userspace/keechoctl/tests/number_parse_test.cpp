#include "errors.h"
#include "number_parse.h"

#include <catch2/catch.hpp>

using namespace kecho::ctl;

// parse_decimal and parse_port are common/parse_number.h, tested there.
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
