// Strict parsing of the numbers that flags and config files carry. The
// throwing ones raise UsageError naming `what` ("--port") and the bad text.
#pragma once

#include "error.h"

#include <algorithm>
#include <charconv>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>

namespace kecho {

// Decimal digits only: no sign, no spaces, no suffix, no overflow.
inline std::optional<std::uint64_t> parse_decimal(std::string_view text) {
    if (text.empty() || text.size() > 20)
        return std::nullopt;
    if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    std::uint64_t value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end)
        return std::nullopt;
    return value;
}

[[noreturn]] inline void throw_bad_value(std::string_view what, std::string_view text,
                                         std::string_view why) {
    throw UsageError(std::string(what) + ": '" + std::string(text) + "' " + std::string(why));
}

// A number in [lo, hi]: decimal digits for integers, std::from_chars'
// syntax for floating point. Out of range says "is not a valid KIND (lo-hi)",
// or "is out of range (lo-hi)" without a kind.
template <class T>
requires std::integral<T> || std::floating_point<T> T parse_number(std::string_view text,
                                                                   std::string_view what, T lo,
                                                                   T hi,
                                                                   std::string_view kind = {}) {
    if constexpr (std::integral<T>) {
        static_assert(std::is_unsigned_v<T>, "flags take no negative integers");
        const auto v = parse_decimal(text);
        if (!v)
            throw_bad_value(what, text, "is not a number");
        if (*v >= lo && *v <= hi)
            return static_cast<T>(*v);
    } else {
        T value{};
        const auto* end = text.data() + text.size();
        const auto [ptr, ec] = std::from_chars(text.data(), end, value);
        if (text.empty() || ec != std::errc{} || ptr != end)
            throw_bad_value(what, text, "is not a number");
        if (value >= lo && value <= hi) // false for NaN
            return value;
    }
    std::ostringstream range;
    range << "(" << +lo << "-" << +hi << ")";
    throw_bad_value(what, text,
                    kind.empty() ? "is out of range " + range.str()
                                 : "is not a valid " + std::string(kind) + " " + range.str());
}

// A TCP port, 1-65535.
inline std::uint16_t parse_port(std::string_view text, std::string_view what) {
    return parse_number<std::uint16_t>(text, what, 1, 65535, "port");
}

// Any unsigned int.
inline unsigned parse_uint(std::string_view text, std::string_view what) {
    return parse_number<unsigned>(text, what, 0, std::numeric_limits<unsigned>::max(),
                                  "unsigned number");
}

// A byte count: digits with an optional k/K (1024) or m/M (1048576) suffix.
inline std::uint64_t parse_size(std::string_view text, std::string_view what) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9')
        ++digits;
    std::uint64_t mult = 1;
    if (digits + 1 == text.size() && digits > 0) {
        switch (text.back()) {
        case 'k':
        case 'K':
            mult = 1024;
            break;
        case 'm':
        case 'M':
            mult = std::uint64_t{1024} * 1024;
            break;
        default:
            throw_bad_value(what, text, "is not a size (digits, then k or M at most)");
        }
    } else if (digits != text.size() || digits == 0) {
        throw_bad_value(what, text, "is not a size (digits, then k or M at most)");
    }
    const auto value = parse_decimal(text.substr(0, digits));
    if (!value || *value > std::numeric_limits<std::uint64_t>::max() / mult)
        throw_bad_value(what, text, "is too large");
    return *value * mult;
}

} // namespace kecho
