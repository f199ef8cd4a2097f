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
    const auto modules = modules_from_args(args);
    KmodLoader loader(ctx.paths);
    for (const auto& module : modules) {
        if (module == kKecho && ModuleState(ctx.paths, module).loaded())
            ctx.err << "keechoctl: warning: reloading kecho drops its connections\n";
        loader.reload(module);
        ctx.out << "reloaded " << module << "\n";
    }
    return kExitOk;
}

} // namespace

const Command& reload_command() {
    static const Command cmd{"reload",
                             "[kecho|drop_tcp_socket|all]",
                             "unload and load again, applying every modprobe.d option",
                             {},
                             run,
                             1};
    return cmd;
}

} // namespace kecho::ctl
