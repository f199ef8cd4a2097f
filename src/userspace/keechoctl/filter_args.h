// The socket filter flags shared by `connections` and `drop`.
#pragma once

#include "cli_args.h"
#include "filters.h"

namespace kecho::ctl {

#define KEECHOCTL_FILTER_OPTIONS                                                                   \
    OptionSpec{"--state", "STATE", "TCP state (repeatable): ESTABLISHED, TIME_WAIT, ..., all"},    \
        OptionSpec{"--port", "N", "local or remote port"},                                         \
        OptionSpec{"--sport", "N", "local port"}, OptionSpec{"--dport", "N", "remote port"},       \
        OptionSpec{"--src", "ADDR[/LEN]", "local address or prefix"}, OptionSpec {                 \
        "--dst", "ADDR[/LEN]", "remote address or prefix"                                          \
    }

// Throws UsageError on a bad value.
SockFilter filter_from_args(const ParsedArgs& args);

} // namespace kecho::ctl
