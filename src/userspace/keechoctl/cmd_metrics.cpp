// keechoctl metrics [--timeout MS] [--no-health]
#include "command.h"
#include "echo_timeout.h"
#include "errors.h"
#include "health.h"
#include "metrics.h"

#include <array>
#include <ostream>

namespace kecho::ctl {

namespace {

constexpr std::array<OptionSpec, 2> kOptions = {{
    kEchoTimeoutOption,
    {"--no-health", "", "counters only: no health check, no kecho_healthy"},
}};

// An unhealthy or unloaded kecho is a value of the metrics, not a failure of
// the command: it exits 0 whenever it could print them. kecho only (the
// dispatcher refuses another --module).
int run(const ParsedArgs& args, Context& ctx) {
    SystemHealthProbe probe(ctx.paths, kecho_server(), echo_timeout(args));
    const MetricsSnapshot snap =
        collect_metrics(ctx.paths, args.has("--no-health") ? nullptr : &probe);
    ctx.out << prometheus_text(snap);
    return kExitOk;
}

} // namespace

const Command& metrics_command() {
    static const Command cmd{"metrics",
                             "[--timeout MS] [--no-health]",
                             "kecho's counters and health in the Prometheus text format",
                             kOptions,
                             run,
                             0,
                             nullptr,
                             nullptr,
                             true};
    return cmd;
}

} // namespace kecho::ctl
