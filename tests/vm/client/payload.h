// Test data: reproducible random binary payloads (zero bytes included) and
// a readable description of where two byte ranges first differ.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kecho::testclient {

// `size` pseudo-random bytes from `seed`; at least one zero byte whenever
// size >= 2, so binary safety is always exercised.
std::vector<std::uint8_t> random_payload(std::size_t size, std::uint64_t seed);

// A seed that differs per run (so a broken server cannot pass by luck).
std::uint64_t fresh_seed();

// Offset of the first difference between `got` and the same-length prefix
// of `want` starting at `offset`, or nullopt when they agree.
std::optional<std::size_t> first_mismatch(std::span<const std::uint8_t> got,
                                          std::span<const std::uint8_t> want);

// "byte 1234: got 0x00, want 0x7f"
std::string describe_mismatch(std::size_t offset, std::uint8_t got, std::uint8_t want);

} // namespace kecho::testclient
