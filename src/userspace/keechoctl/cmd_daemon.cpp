// keechoctl daemon [--interval S] [--timeout MS] [--keep-loaded] [--metrics-file PATH]
#include "command.h"
#include "daemon.h"
#include "errors.h"
#include "number_parse.h"

#include <array>

namespace kecho::ctl {

namespace {

constexpr std::array<OptionSpec, 4> kOptions = {{
    {"--interval", "SECONDS", "health check period, 1-3600 (default 5; shorter under a watchdog)"},
    {"--timeout", "MS", "health check round trip deadline, 1-60000 ms (default 2000)"},
    {"--keep-loaded", "", "leave the module loaded on SIGTERM"},
    {"--metrics-file", "PATH",
     "kecho only: after every check, write the metrics there atomically (node_exporter "
     "textfile)"},
}};

constexpr unsigned kMaxInterval = 3600;
constexpr unsigned kMaxTimeoutMs = 60000;

// cppcheck-suppress constParameter ; the signature is Command::run's
int run(const ParsedArgs& args, Context& ctx) {
    DaemonOptions opts;
    if (const auto v = args.value("--interval")) {
        const unsigned s = parse_uint(*v, "--interval");
        if (s == 0 || s > kMaxInterval)
            throw UsageError("--interval: '" + *v + "' is not a valid interval (1-3600 s)");
        opts.interval = std::chrono::seconds(s);
    }
    if (const auto v = args.value("--timeout")) {
        const unsigned ms = parse_uint(*v, "--timeout");
        if (ms == 0 || ms > kMaxTimeoutMs)
            throw UsageError("--timeout: '" + *v + "' is not a valid timeout (1-60000 ms)");
        opts.echo_timeout = std::chrono::milliseconds(ms);
    }
    opts.keep_loaded = args.has("--keep-loaded");
    if (const auto v = args.value("--metrics-file")) {
        if (ctx.server->module != kKecho)
            throw UsageError("--metrics-file: kecho only for now, not for --module " +
                             std::string(ctx.server->module));
        // The textfile collector reads only *.prom; anything else is a typo.
        if (!v->ends_with(".prom"))
            throw UsageError("--metrics-file: '" + *v + "' must be a file name ending in .prom");
        opts.metrics_file = *v;
    }
    return run_daemon(ctx.paths, *ctx.server, opts);
}

} // namespace

const Command& daemon_command() {
    static const Command cmd{
        "daemon", "[--interval SECONDS] [--timeout MS] [--keep-loaded] [--metrics-file PATH]",
        "systemd service mode: load, health-check, restore, watchdog; SIGHUP re-reads modprobe.d",
        kOptions, run};
    return cmd;
}

} // namespace kecho::ctl
