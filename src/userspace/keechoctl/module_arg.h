// The optional MODULE argument of load/unload/reload: the server's module
// (default: --module's, kecho unless given), another server's,
// drop_tcp_socket (or drop-tcp-socket) or all (the server's module and
// drop_tcp_socket).
#pragma once

#include "cli_args.h"
#include "server.h"

#include <string>
#include <vector>

namespace kecho::ctl {

// Module names in load order; throws UsageError for anything else.
std::vector<std::string> modules_from_args(const ParsedArgs& args, const Server& server);

// "[kecho|khttpd|drop_tcp_socket|all]", for usage lines.
inline constexpr std::string_view kModuleArgument = "[kecho|khttpd|drop_tcp_socket|all]";

} // namespace kecho::ctl
