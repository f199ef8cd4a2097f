// The --timeout MS option of the commands that make one health check
// (health, metrics): its help row and its parsing, in one place.
#pragma once

#include "command.h"

#include <chrono>

namespace kecho::ctl {

inline constexpr OptionSpec kEchoTimeoutOption{
    "--timeout", "MS", "health check's round trip deadline in milliseconds (default 2000)"};

// --timeout's value, 1-600000 ms; 2000 ms without it. Throws UsageError.
std::chrono::milliseconds echo_timeout(const ParsedArgs& args);

} // namespace kecho::ctl
