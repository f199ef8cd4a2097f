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
    const auto modules = modules_from_args(args, *ctx.server);
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
    static const Command cmd{
        "load",
        kModuleArgument,
        "load a module (default kecho, or --module's) with its modprobe.d options",
        {},
        run,
        1};
    return cmd;
}

} // namespace kecho::ctl
