#include "payload.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <random>

namespace kecho::testclient {

std::vector<std::uint8_t> random_payload(std::size_t size, std::uint64_t seed) {
    std::vector<std::uint8_t> out(size);
    std::mt19937_64 rng(seed);
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t v = rng();
        for (std::size_t b = 0; b < 8; ++b, v >>= 8)
            out[i + b] = static_cast<std::uint8_t>(v);
    }
    for (std::uint64_t v = rng(); i < size; ++i, v >>= 8)
        out[i] = static_cast<std::uint8_t>(v);
    if (size >= 2)
        out[size / 2] = 0;
    return out;
}

std::uint64_t fresh_seed() {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

std::optional<std::size_t> first_mismatch(std::span<const std::uint8_t> got,
                                          std::span<const std::uint8_t> want) {
    const std::size_t n = std::min(got.size(), want.size());
    auto [g, w] =
        std::mismatch(got.begin(), got.begin() + static_cast<std::ptrdiff_t>(n), want.begin());
    if (g == got.begin() + static_cast<std::ptrdiff_t>(n))
        return std::nullopt;
    return static_cast<std::size_t>(g - got.begin());
}

std::string describe_mismatch(std::size_t offset, std::uint8_t got, std::uint8_t want) {
    std::array<char, 96> buf{};
    std::snprintf(buf.data(), buf.size(), "byte %zu: got 0x%02x, want 0x%02x", offset, got, want);
    return buf.data();
}

} // namespace kecho::testclient
