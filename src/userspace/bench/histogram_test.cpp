#include "histogram.h"

#include <catch2/catch.hpp>
#include <random>

using kecho::bench::Histogram;

TEST_CASE("histogram buckets tile the whole range without gaps") {
    for (std::size_t i = 0; i + 1 < Histogram::kBuckets; ++i) {
        INFO("bucket " << i);
        REQUIRE(Histogram::lowest_in(i) <= Histogram::highest_in(i));
        REQUIRE(Histogram::highest_in(i) + 1 == Histogram::lowest_in(i + 1));
        REQUIRE(Histogram::index_of(Histogram::lowest_in(i)) == i);
        REQUIRE(Histogram::index_of(Histogram::highest_in(i)) == i);
    }
    CHECK(Histogram::index_of(UINT64_MAX) == Histogram::kBuckets - 1);
}

TEST_CASE("histogram keeps every value within 1/64 of itself") {
    std::mt19937_64 rng(42);
    for (int n = 0; n < 100000; ++n) {
        const uint64_t v = rng() >> (rng() % 64);
        const auto i = Histogram::index_of(v);
        const uint64_t width = Histogram::highest_in(i) - Histogram::lowest_in(i);
        REQUIRE(v >= Histogram::lowest_in(i));
        REQUIRE(v <= Histogram::highest_in(i));
        REQUIRE(width <= v / 64);
    }
}

TEST_CASE("histogram percentiles of 1..1000") {
    Histogram h;
    for (uint64_t v = 1; v <= 1000; ++v)
        h.record(v);
    CHECK(h.count() == 1000);
    CHECK(h.min() == 1);
    CHECK(h.max() == 1000);
    CHECK(h.mean() == Approx(500.5));
    // Exact below 128, within one bucket (<= 1/64) above.
    CHECK(h.percentile(10) == 100);
    CHECK(h.percentile(50) >= 500);
    CHECK(h.percentile(50) <= 500 + 500 / 64);
    CHECK(h.percentile(99) >= 990);
    CHECK(h.percentile(99) <= 990 + 990 / 64);
    CHECK(h.percentile(100) == 1000);
    CHECK(h.percentile(99.9) == 1000); // rank 999 shares the top bucket, capped at max
}

TEST_CASE("histogram: empty, single value and merge") {
    Histogram a;
    CHECK(a.percentile(50) == 0);
    CHECK(a.min() == 0);
    CHECK(a.mean() == 0.0);
    a.record(7);
    CHECK(a.percentile(1) == 7);
    CHECK(a.percentile(100) == 7);
    Histogram b;
    for (int i = 0; i < 99; ++i)
        b.record(1'000'000);
    a.merge(b);
    CHECK(a.count() == 100);
    CHECK(a.min() == 7);
    CHECK(a.percentile(1) == 7);
    CHECK(a.percentile(2) >= 1'000'000);
    CHECK(a.percentile(2) <= 1'000'000 + 1'000'000 / 64);
    CHECK(a.max() == 1'000'000);
}
