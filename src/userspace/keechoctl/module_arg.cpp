#include "module_arg.h"

#include "errors.h"
#include "modprobe_conf.h"
#include "paths.h"

namespace kecho::ctl {

std::vector<std::string> modules_from_args(const ParsedArgs& args, const Server& server) {
    const std::string own(server.module);
    if (args.positionals().empty())
        return {own};
    const std::string name = normalize_module_name(args.positionals().front());
    if (find_server(name) != nullptr || name == kDropModule)
        return {name};
    if (name == "all")
        return {own, kDropModule};
    throw UsageError("unknown module '" + args.positionals().front() + "' (" + server_names() +
                     ", drop_tcp_socket or all)");
}

} // namespace kecho::ctl
