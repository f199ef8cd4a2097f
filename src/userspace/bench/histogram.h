// A small HDR-style latency histogram: log2 buckets, each split into 64
// linear sub-buckets, so any recorded value is kept within 1/64 (1.6 %) of
// itself, in a fixed 30 KiB whatever the number of samples.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace kecho::bench {

class Histogram {
  public:
    static constexpr unsigned kSubBits = 7; // values below 2^7 are exact
    static constexpr unsigned kHalf = 1U << (kSubBits - 1);
    static constexpr std::size_t kBuckets = (1U << kSubBits) + (64 - kSubBits) * kHalf;

    void record(uint64_t value) noexcept;
    void merge(const Histogram& other) noexcept;

    [[nodiscard]] uint64_t count() const noexcept { return count_; }
    [[nodiscard]] uint64_t min() const noexcept { return count_ != 0U ? min_ : 0; }
    [[nodiscard]] uint64_t max() const noexcept { return max_; }
    [[nodiscard]] double mean() const noexcept;
    // The value at or below which `pct` percent of the samples fall (0 < pct
    // <= 100), reported as the top of its bucket but never above max().
    // 0 when empty.
    [[nodiscard]] uint64_t percentile(double pct) const noexcept;

    // Bucket arithmetic, exposed for the tests.
    static std::size_t index_of(uint64_t value) noexcept;
    static uint64_t lowest_in(std::size_t index) noexcept;
    static uint64_t highest_in(std::size_t index) noexcept;

  private:
    std::array<uint64_t, kBuckets> counts_{};
    uint64_t count_ = 0;
    uint64_t min_ = UINT64_MAX;
    uint64_t max_ = 0;
    long double sum_ = 0;
};

} // namespace kecho::bench
