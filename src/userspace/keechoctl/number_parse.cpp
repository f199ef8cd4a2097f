#include "number_parse.h"

#include "errors.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <string>

namespace kecho::ctl {

std::optional<std::uint64_t> parse_decimal(std::string_view text) {
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

namespace {

[[noreturn]] void bad(std::string_view what, std::string_view text, std::string_view why) {
    throw UsageError(std::string(what) + ": '" + std::string(text) + "' " + std::string(why));
}

std::uint64_t in_range(std::string_view text, std::string_view what, std::uint64_t lo,
                       std::uint64_t hi, std::string_view kind) {
    const auto value = parse_decimal(text);
    if (!value)
        bad(what, text, "is not a number");
    if (*value < lo || *value > hi)
        bad(what, text,
            "is not a valid " + std::string(kind) + " (" + std::to_string(lo) + "-" +
                std::to_string(hi) + ")");
    return *value;
}

} // namespace

std::uint16_t parse_port(std::string_view text, std::string_view what) {
    return static_cast<std::uint16_t>(in_range(text, what, 1, 65535, "port"));
}

unsigned parse_backlog(std::string_view text, std::string_view what) {
    return static_cast<unsigned>(in_range(text, what, 1, kMaxBacklog, "backlog"));
}

unsigned parse_uint(std::string_view text, std::string_view what) {
    return static_cast<unsigned>(
        in_range(text, what, 0, std::numeric_limits<unsigned>::max(), "unsigned number"));
}

bool parse_bit(std::string_view text, std::string_view what) {
    if (text == "0")
        return false;
    if (text == "1")
        return true;
    bad(what, text, "must be 0 or 1");
}

std::optional<bool> parse_kernel_bool(std::string_view text) {
    if (text == "1" || text == "y" || text == "Y" || text == "on" || text == "true")
        return true;
    if (text == "0" || text == "n" || text == "N" || text == "off" || text == "false")
        return false;
    return std::nullopt;
}

} // namespace kecho::ctl
