// keechoctl's own values on top of the shared number parsing (parse_number.h):
// kecho's backlog range, 0/1 and the kernel's bool syntax.
#pragma once

#include "parse_number.h"

#include <optional>
#include <string_view>

namespace kecho::ctl {

using kecho::parse_decimal;
using kecho::parse_port;
using kecho::parse_uint;

inline constexpr unsigned kMaxBacklog = 65535;

// Each throws UsageError naming `what` (e.g. "--backlog") and the bad value.
unsigned parse_backlog(std::string_view text, std::string_view what);
// "0" or "1".
bool parse_bit(std::string_view text, std::string_view what);
// The kernel's bool syntax as sysfs and modprobe.d use it: 1/0, y/n, Y/N, on/off, true/false.
std::optional<bool> parse_kernel_bool(std::string_view text);

} // namespace kecho::ctl
