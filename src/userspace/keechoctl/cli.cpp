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

void print_usage(std::ostream& os) {
    os << "usage: keechoctl [--config FILE] COMMAND [OPTIONS]\n"
          "\n"
          "Control the kecho in-kernel TCP echo server.\n"
          "\n"
          "commands:\n";
    for (const auto& cmd : command_table()) {
        std::string name(cmd.name);
        name.resize(std::max<size_t>(name.size(), 13), ' ');
        os << "  " << name << cmd.summary << "\n";
    }
    os << "\n"
          "global options:\n"
          "  --config FILE  modprobe.d file with kecho's options (default "
       << kDefaultModprobeConf
       << ")\n"
          "  --version      print the version\n"
          "  -h, --help     this help; COMMAND --help for a command's options\n"
          "\n"
          "exit status: 0 success, 1 usage error, 2 system error or unhealthy\n";
}

void print_command_help(std::ostream& os, const Command& cmd) {
    os << "usage: keechoctl " << cmd.name;
    if (!cmd.arguments.empty())
        os << " " << cmd.arguments;
    os << "\n\n" << cmd.summary << "\n";
    if (cmd.options.empty())
        return;
    os << "\noptions:\n";
    for (const auto& opt : cmd.options) {
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

int dispatch(std::span<const std::string> args, Context& ctx) {
    size_t i = 0;
    for (; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "-h" || arg == "--help" || arg == "help") {
            if (arg == "help" && i + 1 < args.size()) {
                const Command* cmd = find_command(args[i + 1]);
                if (cmd == nullptr)
                    throw UsageError("unknown command '" + args[i + 1] + "'");
                print_command_help(ctx.out, *cmd);
                return kExitOk;
            }
            print_usage(ctx.out);
            return kExitOk;
        }
        if (arg == "--version") {
            ctx.out << "keechoctl " << kVersion << "\n";
            return kExitOk;
        }
        if (arg == "--config" || arg.starts_with("--config=")) {
            std::string value;
            if (arg == "--config") {
                if (i + 1 >= args.size())
                    throw UsageError("--config needs a FILE");
                value = args[++i];
            } else {
                value = arg.substr(std::string_view("--config=").size());
            }
            if (value.empty())
                throw UsageError("--config needs a non-empty FILE");
            ctx.paths.modprobe_conf = value;
            continue;
        }
        if (arg.starts_with("-"))
            throw UsageError("unknown global option '" + arg + "' (see --help)");
        break;
    }
    if (i >= args.size()) {
        print_usage(ctx.err);
        return kExitUsage;
    }
    const Command* cmd = find_command(args[i]);
    if (cmd == nullptr)
        throw UsageError("unknown command '" + args[i] + "' (see keechoctl --help)");
    std::vector<OptionSpec> specs(cmd->options.begin(), cmd->options.end());
    specs.push_back(kHelpOption); // -h and --help, which print_command_help does not list
    const ParsedArgs parsed = parse_args(args.subspan(i + 1), specs, cmd->name);
    if (parsed.has("--help")) {
        print_command_help(ctx.out, *cmd);
        return kExitOk;
    }
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
