// keechoctl reconfigure [--port N] [--backlog N] ... : one flag per kecho option
#include "command.h"
#include "errors.h"
#include "kecho_control.h"
#include "kecho_options.h"
#include "reconfigure.h"

namespace kecho::ctl {

namespace {

int run(const ParsedArgs& args, Context& ctx) {
    const ParamMap changes = parse_reconfigure_args(args);
    SystemKecho kecho(ctx.paths);
    reconfigure(ctx.paths, changes, kecho, ctx.out, ctx.err);
    return kExitOk;
}

std::string usage() {
    std::string out;
    for (const auto& opt : kecho_options())
        out += (out.empty() ? "[" : " [") + std::string(opt.flag) + " " +
               std::string(opt.value_name) + "]";
    return out;
}

} // namespace

const Command& reconfigure_command() {
    static const std::string arguments = usage();
    static const Command cmd{"reconfigure", arguments,
                             "change kecho's options in modprobe.d atomically and apply them",
                             reconfigure_options(), run};
    return cmd;
}

} // namespace kecho::ctl
