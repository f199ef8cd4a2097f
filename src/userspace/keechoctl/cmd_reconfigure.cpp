// keechoctl reconfigure [--port N] [--backlog N] [--bench 0|1] [--max-conns N]
#include "command.h"
#include "errors.h"
#include "kmod_loader.h"
#include "reconfigure.h"

#include <array>

namespace kecho::ctl {

namespace {

constexpr std::array<OptionSpec, 4> kOptions = {{
    {"--port", "N", "TCP port, 1-65535 (applied live)"},
    {"--backlog", "N", "listen backlog, 1-65535 (applied live)"},
    {"--max-conns", "N", "connection limit (applied live)"},
    {"--bench", "0|1", "benchmark mode (applied by a reload: connections drop)"},
}};

int run(const ParsedArgs& args, Context& ctx) {
    const ParamMap changes = parse_reconfigure_args(args);
    const auto reload = [&ctx] {
        KmodLoader loader(ctx.paths);
        loader.unload(kKecho);
        loader.load(kKecho);
    };
    reconfigure(ctx.paths, changes, reload, ctx.out, ctx.err);
    return kExitOk;
}

} // namespace

const Command& reconfigure_command() {
    static const Command cmd{
        "reconfigure", "[--port N] [--backlog N] [--bench 0|1] [--max-conns N]",
        "change kecho's options in modprobe.d atomically and apply them", kOptions, run};
    return cmd;
}

} // namespace kecho::ctl
