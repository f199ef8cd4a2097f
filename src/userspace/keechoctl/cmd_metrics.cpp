// keechoctl metrics [--timeout MS] [--no-health]
#include "command.h"
#include "errors.h"
#include "health.h"
#include "metrics.h"
#include "number_parse.h"

#include <array>
#include <ostream>

namespace kecho::ctl {

namespace {

constexpr std::array<OptionSpec, 2> kOptions = {{
    {"--timeout", "MS", "health check's echo deadline in milliseconds (default 2000)"},
    {"--no-health", "", "counters only: no health check, no kecho_healthy"},
}};

constexpr unsigned kDefaultTimeoutMs = 2000;
constexpr unsigned kMaxTimeoutMs = 600000;

// An unhealthy or unloaded kecho is a value of the metrics, not a failure of
// the command: it exits 0 whenever it could print them.
int run(const ParsedArgs& args, Context& ctx) {
    unsigned timeout = kDefaultTimeoutMs;
    if (const auto v = args.value("--timeout")) {
        timeout = parse_uint(*v, "--timeout");
        if (timeout == 0 || timeout > kMaxTimeoutMs)
            throw UsageError("--timeout: '" + *v + "' is not a valid timeout (1-600000 ms)");
    }
    SystemHealthProbe probe(ctx.paths, std::chrono::milliseconds(timeout));
    const MetricsSnapshot snap =
        collect_metrics(ctx.paths, args.has("--no-health") ? nullptr : &probe);
    ctx.out << prometheus_text(snap);
    return kExitOk;
}

} // namespace

const Command& metrics_command() {
    static const Command cmd{"metrics", "[--timeout MS] [--no-health]",
                             "counters and health in the Prometheus text format", kOptions, run};
    return cmd;
}

} // namespace kecho::ctl
