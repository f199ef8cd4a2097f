#include "kecho_stats.h"

#include <catch2/catch.hpp>

using namespace kecho::ctl;

TEST_CASE("/proc/net/kecho parses, unknown keys and junk are tolerated", "[stats]") {
    const auto s = parse_kecho_stats("accepted 10\nactive 2\nrefused 0\nbytes_in 123\n"
                                     "bytes_out 123\nerrors 0\nbuffered 5\nport 12345\n"
                                     "future_counter 7\n"
                                     "garbage\n  \nbad -1\nspaced\t  9  \n");
    CHECK(s.get("accepted") == 10U);
    CHECK(s.get("active") == 2U);
    CHECK(s.get("port") == 12345U);
    CHECK(s.get("buffered") == 5U);
    CHECK(s.get("future_counter") == 7U);
    CHECK(s.get("spaced") == 9U);
    CHECK_FALSE(s.get("bad"));
    CHECK_FALSE(s.get("garbage"));
    CHECK_FALSE(s.get("missing"));
}

TEST_CASE("an empty or unterminated file", "[stats]") {
    CHECK(parse_kecho_stats("").values.empty());
    CHECK(parse_kecho_stats("port 0").get("port") == 0U);
}
