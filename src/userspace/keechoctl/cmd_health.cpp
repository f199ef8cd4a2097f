// keechoctl health [--timeout MS] [--json]
#include "command.h"
#include "echo_timeout.h"
#include "errors.h"
#include "health.h"
#include "install_state.h"

#include <array>
#include <nlohmann/json.hpp>
#include <ostream>

namespace kecho::ctl {

namespace {

constexpr std::array<OptionSpec, 2> kOptions = {{
    kEchoTimeoutOption,
    {"--json", "", "print a JSON object"},
}};

int run(const ParsedArgs& args, Context& ctx) {
    const Server& server = *ctx.server;
    SystemHealthProbe probe(ctx.paths, server, echo_timeout(args));
    HealthReport report = check_health(probe, server);
    // What an upgrade leaves behind: no module for this kernel and no
    // headers to build one (why the module is missing), or a loaded module
    // that is not the installed build (a warning: it still serves).
    const InstallState install = inspect_install(ctx.paths, std::string(server.module));
    if (report.problem == HealthProblem::ModuleMissing)
        if (const auto why = running_kernel_problem(install, false))
            report.reason += ": " + *why;
    const auto stale = stale_module_warning(install);
    if (args.has("--json")) {
        nlohmann::json j = {{"healthy", report.healthy()}, {"reason", report.reason}};
        if (report.port != 0)
            j["port"] = report.port;
        if (!report.mode.empty())
            j["mode"] = report.mode;
        if (report.http_status != 0)
            j["http_status"] = report.http_status;
        if (report.healthy())
            j["rtt_us"] = report.rtt.count();
        if (stale)
            j["warning"] = *stale;
        ctx.out << j.dump() << "\n";
    } else {
        (report.healthy() ? ctx.out : ctx.err) << report.reason << "\n";
        if (stale)
            ctx.err << "warning: " << *stale << "\n";
    }
    return report.healthy() ? kExitOk : kExitSystem;
}

} // namespace

const Command& health_command() {
    static const Command cmd{"health", "[--timeout MS] [--json]",
                             "one-shot check: module loaded, listener present, a real round "
                             "trip (kecho: echo; khttpd: GET /)",
                             kOptions, run};
    return cmd;
}

} // namespace kecho::ctl
