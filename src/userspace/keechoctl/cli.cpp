#include "cli.h"

#include "errors.h"
#include "modprobe_conf.h"

#include <algorithm>
#include <array>
#include <exception>
#include <ostream>
#include <vector>

namespace kecho::ctl {

namespace {

constexpr std::string_view kVersion = "0.1.0";

void print_usage(std::ostream& os, const Server& server) {
    const bool kecho = server.module == kKecho;
    os << "usage: keechoctl [--module NAME] [--config FILE] COMMAND [OPTIONS]\n"
          "\n"
          "Control "
       << server.summary
       << ".\n"
          "\n"
          "commands:\n";
    for (const auto& cmd : command_table()) {
        std::string name(cmd.name);
        name.resize(std::max<size_t>(name.size(), 13), ' ');
        os << "  " << name << cmd.summary << (cmd.kecho_only && !kecho ? " (kecho only)" : "")
           << "\n";
    }
    os << "\n"
          "global options:\n"
          "  --module NAME  the server to manage: "
       << server_names()
       << " (default kecho)\n"
          "  --config FILE  modprobe.d file with its options (default "
       << server.default_modprobe_conf()
       << ")\n"
          "  --version      print the version\n"
          "  -h, --help     this help; COMMAND --help for a command's options\n"
          "\n"
          "exit status: 0 success, 1 usage error, 2 system error or unhealthy\n";
}

void print_command_help(std::ostream& os, const Command& cmd, const Server& server) {
    os << "usage: " << keechoctl_for(server.module) << " " << cmd.name;
    const auto arguments = cmd.arguments_for(server);
    if (!arguments.empty())
        os << " " << arguments;
    os << "\n\n" << cmd.summary << "\n";
    const auto options = cmd.options_for(server);
    if (options.empty())
        return;
    os << "\noptions:\n";
    for (const auto& opt : options) {
        std::string left(opt.name);
        if (opt.takes_value())
            left += " " + std::string(opt.value_name);
        left.resize(std::max<size_t>(left.size() + 2, 20), ' ');
        os << "  " << left << opt.help << "\n";
    }
}

const Command* find_command(std::string_view name) {
    const auto table = command_table();
    const auto it = std::find_if(table.begin(), table.end(),
                                 [name](const Command& cmd) { return cmd.name == name; });
    return it == table.end() ? nullptr : &*it;
}

// A global option's value: "--name VALUE" or "--name=VALUE", never empty.
// Advances `i` past a separate value.
std::string global_value(std::span<const std::string> args, size_t& i, std::string_view name,
                         std::string_view what) {
    const std::string& arg = args[i];
    std::string value;
    if (arg == name) {
        if (i + 1 >= args.size())
            throw UsageError(std::string(name) + " needs " + std::string(what));
        value = args[++i];
    } else {
        value = arg.substr(name.size() + 1);
    }
    if (value.empty())
        throw UsageError(std::string(name) + " needs a non-empty " + std::string(what));
    return value;
}

bool is_global(const std::string& arg, std::string_view name) {
    return arg == name ||
           (arg.starts_with(name) && arg.size() > name.size() && arg[name.size()] == '=');
}

int dispatch(std::span<const std::string> args, Context& ctx) {
    size_t i = 0;
    bool config_given = false;
    for (; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "-h" || arg == "--help" || arg == "help") {
            if (arg == "help" && i + 1 < args.size()) {
                const Command* cmd = find_command(args[i + 1]);
                if (cmd == nullptr)
                    throw UsageError("unknown command '" + args[i + 1] + "'");
                print_command_help(ctx.out, *cmd, *ctx.server);
                return kExitOk;
            }
            print_usage(ctx.out, *ctx.server);
            return kExitOk;
        }
        if (arg == "--version") {
            ctx.out << "keechoctl " << kVersion << "\n";
            return kExitOk;
        }
        if (is_global(arg, "--config")) {
            ctx.paths.modprobe_conf = global_value(args, i, "--config", "a FILE");
            config_given = true;
            continue;
        }
        if (is_global(arg, "--module")) {
            const std::string name = global_value(args, i, "--module", "a NAME");
            ctx.server = find_server(name);
            if (ctx.server == nullptr)
                throw UsageError("--module: unknown server '" + name + "' (" + server_names() +
                                 ")");
            continue;
        }
        if (arg.starts_with("-"))
            throw UsageError("unknown global option '" + arg + "' (see --help)");
        break;
    }
    // Each server has its own file; --config and KEECHOCTL_MODPROBE_CONF
    // name one explicitly.
    if (!config_given && ctx.paths.modprobe_conf == kDefaultModprobeConf)
        ctx.paths.modprobe_conf = ctx.server->default_modprobe_conf();
    if (i >= args.size()) {
        print_usage(ctx.err, *ctx.server);
        return kExitUsage;
    }
    const Command* cmd = find_command(args[i]);
    if (cmd == nullptr)
        throw UsageError("unknown command '" + args[i] + "' (see keechoctl --help)");
    const auto options = cmd->options_for(*ctx.server);
    std::vector<OptionSpec> specs(options.begin(), options.end());
    specs.push_back(kHelpOption); // -h and --help, which print_command_help does not list
    const ParsedArgs parsed = parse_args(args.subspan(i + 1), specs, cmd->name);
    if (parsed.has("--help")) {
        print_command_help(ctx.out, *cmd, *ctx.server);
        return kExitOk;
    }
    if (cmd->kecho_only && ctx.server->module != kKecho)
        throw UsageError(std::string(cmd->name) + ": kecho only for now, not for --module " +
                         std::string(ctx.server->module));
    if (parsed.positionals().size() > cmd->max_positionals)
        throw UsageError(std::string(cmd->name) + ": unexpected argument '" +
                         parsed.positionals()[cmd->max_positionals] + "'");
    return cmd->run(parsed, ctx);
}

} // namespace

std::span<const Command> command_table() {
    static const std::array<Command, 11> table = {
        status_command(), health_command(),      load_command(),    unload_command(),
        reload_command(), reconfigure_command(), options_command(), connections_command(),
        drop_command(),   metrics_command(),     daemon_command(),
    };
    return table;
}

int run_cli(std::span<const std::string> args, Context& ctx) {
    try {
        return dispatch(args, ctx);
    } catch (const UsageError& e) {
        ctx.err << "keechoctl: " << e.what() << "\n";
        return kExitUsage;
    } catch (const std::exception& e) {
        ctx.err << "keechoctl: " << e.what() << "\n";
        return kExitSystem;
    }
}

} // namespace kecho::ctl
