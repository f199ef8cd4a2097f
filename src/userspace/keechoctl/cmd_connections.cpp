// keechoctl connections [filters] [--json]
#include "command.h"
#include "errors.h"
#include "filter_args.h"
#include "output.h"
#include "sock_diag.h"
#include "tcp_state.h"

#include <array>
#include <nlohmann/json.hpp>
#include <ostream>

namespace kecho::ctl {

namespace {

constexpr std::array<OptionSpec, 7> kOptions = {{
    KEECHOCTL_FILTER_OPTIONS,
    {"--json", "", "print a JSON array"},
}};

// A listener's peer is "0.0.0.0:*" or "[::]:*", as ss prints it.
std::string peer(const SockInfo& s) {
    if (s.dport != 0)
        return format_endpoint(s.dst, s.dport);
    const std::string any = format_endpoint(s.dst, 0);
    return any.substr(0, any.size() - 1) + "*";
}

int run(const ParsedArgs& args, Context& ctx) {
    const SockFilter filter = filter_from_args(args);
    NetlinkSockDiag diag;
    std::vector<SockInfo> socks = select_sockets(diag, filter);
    if (args.has("--json")) {
        ctx.out << socks_json(socks).dump() << "\n";
        return kExitOk;
    }
    Table table({"State", "Recv-Q", "Send-Q", "Local Address:Port", "Peer Address:Port"});
    for (const auto& s : socks)
        table.add({std::string(tcp_state_name(s.state)), std::to_string(s.rqueue),
                   std::to_string(s.wqueue), format_endpoint(s.src, s.sport), peer(s)});
    table.print(ctx.out);
    return kExitOk;
}

} // namespace

const Command& connections_command() {
    static const Command cmd{"connections",
                             "[--state S]... [--port N] [--sport N] [--dport N] [--src A] "
                             "[--dst A] [--json]",
                             "list TCP sockets, IPv4 and IPv6, like ss", kOptions, run};
    return cmd;
}

} // namespace kecho::ctl
