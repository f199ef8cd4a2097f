#include "module_arg.h"

#include "errors.h"
#include "modprobe_conf.h"
#include "paths.h"

namespace kecho::ctl {

std::vector<std::string> modules_from_args(const ParsedArgs& args) {
    if (args.positionals().empty())
        return {kKecho};
    const std::string name = normalize_module_name(args.positionals().front());
    if (name == kKecho || name == kDropModule)
        return {name};
    if (name == "all")
        return {kKecho, kDropModule};
    throw UsageError("unknown module '" + args.positionals().front() +
                     "' (kecho, drop_tcp_socket or all)");
}

} // namespace kecho::ctl
