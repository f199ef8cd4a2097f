// keechoctl reload [MODULE]
#include "command.h"
#include "errors.h"
#include "kmod_loader.h"
#include "module_arg.h"
#include "module_state.h"

#include <ostream>

namespace kecho::ctl {

namespace {

int run(const ParsedArgs& args, Context& ctx) {
    const auto modules = modules_from_args(args, *ctx.server);
    KmodLoader loader(ctx.paths);
    for (const auto& module : modules) {
        if (find_server(module) != nullptr && ModuleState(ctx.paths, module).loaded())
            ctx.err << "keechoctl: warning: reloading " << module << " drops its connections\n";
        loader.reload(module);
        ctx.out << "reloaded " << module << "\n";
    }
    return kExitOk;
}

} // namespace

const Command& reload_command() {
    static const Command cmd{"reload",
                             kModuleArgument,
                             "unload and load again, applying every modprobe.d option",
                             {},
                             run,
                             1};
    return cmd;
}

} // namespace kecho::ctl
