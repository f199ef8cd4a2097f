// One subcommand: its name, usage, options and the function that runs it.
#pragma once

#include "cli_args.h"
#include "paths.h"

#include <iosfwd>
#include <span>
#include <string_view>

namespace kecho::ctl {

// The shared parser (common/cli_args.h), by the names keechoctl's code uses.
using kecho::OptionSpec;
using kecho::parse_args;
using kecho::ParsedArgs;

struct Context {
    Paths paths;
    std::ostream& out;
    std::ostream& err;
};

struct Command {
    std::string_view name;
    std::string_view arguments; // "[--port N] [--backlog N]"
    std::string_view summary;   // one line for the command table
    std::span<const OptionSpec> options;
    int (*run)(const ParsedArgs& args, Context& ctx);
    std::size_t max_positionals = 0;
};

// Every subcommand, in the order `keechoctl --help` lists them.
std::span<const Command> command_table();

// The subcommands, one per cmd_*.cpp.
const Command& status_command();
const Command& health_command();
const Command& load_command();
const Command& unload_command();
const Command& reload_command();
const Command& reconfigure_command();
const Command& options_command();
const Command& connections_command();
const Command& drop_command();
const Command& metrics_command();
const Command& daemon_command();

} // namespace kecho::ctl
