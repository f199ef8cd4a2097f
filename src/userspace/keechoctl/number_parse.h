// Strict parsing of the numbers that flags and config files carry.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace kecho::ctl {

// Decimal digits only: no sign, no spaces, no suffix, no overflow.
std::optional<std::uint64_t> parse_decimal(std::string_view text);

// Each throws UsageError naming `what` (e.g. "--port") and the bad value.
std::uint16_t parse_port(std::string_view text, std::string_view what);
unsigned parse_backlog(std::string_view text, std::string_view what);
unsigned parse_uint(std::string_view text, std::string_view what);
// "0" or "1".
bool parse_bit(std::string_view text, std::string_view what);
// The kernel's bool syntax as sysfs and modprobe.d use it: 1/0, y/n, Y/N, on/off, true/false.
std::optional<bool> parse_kernel_bool(std::string_view text);

inline constexpr unsigned kMaxBacklog = 65535;

} // namespace kecho::ctl
