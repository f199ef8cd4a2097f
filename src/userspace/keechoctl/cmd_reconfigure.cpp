// keechoctl reconfigure [--port N] [--backlog N] ... : one flag per option of
// the server's table (--module)
#include "command.h"
#include "errors.h"
#include "kecho_control.h"
#include "reconfigure.h"

namespace kecho::ctl {

namespace {

int run(const ParsedArgs& args, Context& ctx) {
    const Server& server = *ctx.server;
    const ParamMap changes = parse_reconfigure_args(server, args);
    SystemKecho control(ctx.paths, std::string(server.module));
    reconfigure(ctx.paths, server, changes, control, ctx.out, ctx.err);
    return kExitOk;
}

} // namespace

const Command& reconfigure_command() {
    static const Command cmd{"reconfigure",
                             "",
                             "change the module's options in modprobe.d atomically and apply them",
                             {},
                             run,
                             0,
                             reconfigure_options,
                             reconfigure_arguments};
    return cmd;
}

} // namespace kecho::ctl
