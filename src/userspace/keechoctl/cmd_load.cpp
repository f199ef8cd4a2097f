// keechoctl load [MODULE]
#include "command.h"
#include "errors.h"
#include "kmod_loader.h"
#include "module_arg.h"
#include "module_state.h"

#include <array>
#include <ostream>

namespace kecho::ctl {

namespace {

int run(const ParsedArgs& args, Context& ctx) {
    const auto modules = modules_from_args(args);
    KmodLoader loader(ctx.paths);
    for (const auto& module : modules) {
        const ModuleState state(ctx.paths, module);
        if (state.loaded()) {
            ctx.out << module << " is already loaded\n";
            continue;
        }
        loader.load(module);
        const auto version = state.version();
        ctx.out << "loaded " << module;
        if (version)
            ctx.out << " " << *version;
        if (const auto port = state.param("port"))
            ctx.out << ", port " << *port;
        ctx.out << "\n";
    }
    return kExitOk;
}

} // namespace

const Command& load_command() {
    static const Command cmd{"load",
                             "[kecho|drop_tcp_socket|all]",
                             "load a module (default kecho) with its modprobe.d options",
                             {},
                             run,
                             1};
    return cmd;
}

} // namespace kecho::ctl
