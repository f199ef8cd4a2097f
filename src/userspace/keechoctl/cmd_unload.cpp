// keechoctl unload [MODULE]
#include "command.h"
#include "errors.h"
#include "kmod_loader.h"
#include "module_arg.h"

#include <ostream>

namespace kecho::ctl {

namespace {

int run(const ParsedArgs& args, Context& ctx) {
    const auto modules = modules_from_args(args, *ctx.server);
    KmodLoader loader(ctx.paths);
    for (const auto& module : modules) {
        if (loader.unload(module))
            ctx.out << "unloaded " << module << "\n";
        else
            ctx.out << module << " is not loaded\n";
    }
    return kExitOk;
}

} // namespace

const Command& unload_command() {
    static const Command cmd{
        "unload",
        kModuleArgument,
        "unload a module (default kecho, or --module's); its connections are closed",
        {},
        run,
        1};
    return cmd;
}

} // namespace kecho::ctl
