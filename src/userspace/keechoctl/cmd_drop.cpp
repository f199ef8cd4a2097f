// keechoctl drop [filters] [--dry-run] [--all] [--json]
#include "command.h"
#include "drop_writer.h"
#include "errors.h"
#include "file_io.h"
#include "filter_args.h"
#include "kmod_loader.h"
#include "output.h"
#include "sock_diag.h"
#include "tcp_state.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <ostream>

namespace kecho::ctl {

namespace {

constexpr std::array<OptionSpec, 9> kOptions = {{
    KEECHOCTL_FILTER_OPTIONS,
    {"--dry-run", "", "only list what would be dropped"},
    {"--all", "", "allow dropping every connection when no filter is given"},
    {"--json", "", "print a JSON object"},
}};

constexpr std::uint32_t kNeverDropped = state_bit(kListen) | state_bit(kClose);

std::string describe(const SockInfo& s) {
    return std::string(tcp_state_name(s.state)) + " " + format_endpoint(s.src, s.sport) + " " +
           format_endpoint(s.dst, s.dport);
}

// The line written for `s`, without its newline.
std::string drop_line(const SockInfo& s) {
    std::string line = format_drop_line(s);
    line.pop_back();
    return line;
}

nlohmann::json drop_lines_json(const std::vector<SockInfo>& socks) {
    std::vector<std::string> lines(socks.size());
    std::transform(socks.begin(), socks.end(), lines.begin(), drop_line);
    return lines;
}

int run(const ParsedArgs& args, Context& ctx) {
    SockFilter filter = filter_from_args(args);
    if (filter.empty() && !args.has("--all"))
        throw UsageError("drop: refusing to drop every TCP connection; give a filter "
                         "(--state, --port, ...) or --all");
    if ((filter.states & state_bit(kListen)) != 0 && filter.states != kAllStates)
        throw UsageError("drop: listening sockets cannot be dropped (--state LISTEN)");
    filter.states = filter.state_mask() & ~kNeverDropped;

    NetlinkSockDiag diag;
    const std::vector<SockInfo> matched = select_sockets(diag, filter);

    const bool dry = args.has("--dry-run");
    const bool json_out = args.has("--json");
    std::vector<SockInfo> dropped;
    std::vector<SockInfo> gone;
    if (dry) {
        dropped = matched;
    } else if (!matched.empty()) {
        if (!path_exists(ctx.paths.drop_tcp_sock()))
            KmodLoader(ctx.paths).load(kDropModule);
        DropWriter writer(ctx.paths.drop_tcp_sock());
        for (const auto& s : matched) {
            if (writer.drop(s) == DropOutcome::Dropped)
                dropped.push_back(s);
            else
                gone.push_back(s);
        }
        writer.close();
    }

    if (json_out) {
        ctx.out << nlohmann::json{{"dry_run", dry},
                                  {"filter", filter.describe()},
                                  {"dropped", socks_json(dropped)},
                                  {"lines", drop_lines_json(dropped)},
                                  {"count", dropped.size()},
                                  {"already_gone", gone.size()}}
                       .dump()
                << "\n";
        return kExitOk;
    }
    const char* verb = dry ? "would drop " : "dropped ";
    for (const auto& s : dropped) {
        ctx.out << verb << describe(s) << "\n";
        if (dry) // what would go to /proc/net/drop_tcp_sock
            ctx.out << "    line: " << drop_line(s) << "\n";
    }
    for (const auto& s : gone)
        ctx.out << "already gone " << describe(s) << "\n";
    ctx.out << (dry ? "would drop " : "dropped ") << dropped.size()
            << (dropped.size() == 1 ? " connection" : " connections");
    if (!gone.empty())
        ctx.out << " (" << gone.size() << " already gone)";
    ctx.out << "\n";
    return kExitOk;
}

} // namespace

const Command& drop_command() {
    static const Command cmd{"drop",
                             "[--state S]... [--port N] [--sport N] [--dport N] [--src A] "
                             "[--dst A] [--dry-run] [--all] [--json]",
                             "drop matching TCP connections via drop_tcp_socket", kOptions, run};
    return cmd;
}

} // namespace kecho::ctl
