#include "histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace kecho::bench {

std::size_t Histogram::index_of(uint64_t v) noexcept {
    if (v < (1U << kSubBits))
        return static_cast<std::size_t>(v);
    const unsigned msb = 63U - static_cast<unsigned>(std::countl_zero(v));
    const unsigned shift = msb - (kSubBits - 1); // >= 1; v >> shift is in [kHalf, 2 kHalf)
    return (1U << kSubBits) + (shift - 1) * kHalf + static_cast<std::size_t>((v >> shift) - kHalf);
}

uint64_t Histogram::lowest_in(std::size_t i) noexcept {
    if (i < (1U << kSubBits))
        return i;
    const std::size_t j = i - (1U << kSubBits);
    const unsigned shift = static_cast<unsigned>(j / kHalf) + 1;
    return (static_cast<uint64_t>(j % kHalf) + kHalf) << shift;
}

uint64_t Histogram::highest_in(std::size_t i) noexcept {
    if (i < (1U << kSubBits))
        return i;
    const unsigned shift = static_cast<unsigned>((i - (1U << kSubBits)) / kHalf) + 1;
    return lowest_in(i) + ((uint64_t{1} << shift) - 1);
}

void Histogram::record(uint64_t v) noexcept {
    ++counts_[index_of(v)];
    ++count_;
    min_ = std::min(min_, v);
    max_ = std::max(max_, v);
    sum_ += static_cast<long double>(v);
}

void Histogram::merge(const Histogram& o) noexcept {
    for (std::size_t i = 0; i < kBuckets; ++i)
        counts_[i] += o.counts_[i];
    count_ += o.count_;
    min_ = std::min(min_, o.min_);
    max_ = std::max(max_, o.max_);
    sum_ += o.sum_;
}

double Histogram::mean() const noexcept {
    return count_ != 0U ? static_cast<double>(sum_ / static_cast<long double>(count_)) : 0.0;
}

uint64_t Histogram::percentile(double pct) const noexcept {
    if (count_ == 0)
        return 0;
    pct = std::clamp(pct, 0.0, 100.0);
    auto rank = static_cast<uint64_t>(std::ceil(pct / 100.0 * static_cast<double>(count_)));
    rank = std::clamp<uint64_t>(rank, 1, count_);
    uint64_t seen = 0;
    for (std::size_t i = 0; i < kBuckets; ++i) {
        seen += counts_[i];
        if (seen >= rank)
            return std::min(highest_in(i), max_);
    }
    return max_;
}

} // namespace kecho::bench
