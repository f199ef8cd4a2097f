// The optional MODULE argument of load/unload/reload: kecho (default),
// drop_tcp_socket (or drop-tcp-socket) or all.
#pragma once

#include "cli_args.h"

#include <string>
#include <vector>

namespace kecho::ctl {

// Module names in load order; throws UsageError for anything else.
std::vector<std::string> modules_from_args(const ParsedArgs& args);

} // namespace kecho::ctl
