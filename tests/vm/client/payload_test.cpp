#include "payload.h"

#include <catch2/catch.hpp>
#include <vector>

using namespace kecho::testclient;

TEST_CASE("payloads are reproducible, sized and contain zero bytes") {
    for (std::size_t n : {0U, 1U, 2U, 7U, 8U, 9U, 1000U}) {
        const auto a = random_payload(n, 42);
        CHECK(a.size() == n);
        CHECK(a == random_payload(n, 42));
        if (n >= 2)
            CHECK(std::find(a.begin(), a.end(), 0) != a.end());
    }
    CHECK(random_payload(64, 1) != random_payload(64, 2));
}

TEST_CASE("first_mismatch finds the first differing byte") {
    const std::vector<std::uint8_t> want = {1, 2, 3, 4};
    CHECK_FALSE(first_mismatch(std::vector<std::uint8_t>{1, 2, 3, 4}, want));
    CHECK_FALSE(first_mismatch(std::vector<std::uint8_t>{1, 2}, want));
    CHECK(first_mismatch(std::vector<std::uint8_t>{1, 2, 0, 4}, want) == 2);
    CHECK(describe_mismatch(2, 0, 3) == "byte 2: got 0x00, want 0x03");
}
