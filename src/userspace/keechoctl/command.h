// One subcommand: its name, usage, options and the function that runs it.
#pragma once

#include "cli_args.h"
#include "paths.h"
#include "server.h"

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
    // The server every command acts on (--module); kecho by default.
    const Server* server = &kecho_server();
};

struct Command {
    std::string_view name;
    std::string_view arguments; // "[--port N] [--backlog N]"
    std::string_view summary;   // one line for the command table
    std::span<const OptionSpec> options;
    int (*run)(const ParsedArgs& args, Context& ctx);
    std::size_t max_positionals = 0;
    // Options and usage line that depend on the server (reconfigure's
    // flags, one per row of its table); nullptr: `options`, `arguments`.
    std::span<const OptionSpec> (*server_options)(const Server&) = nullptr;
    std::string_view (*server_arguments)(const Server&) = nullptr;
    // kecho's alone for now (metrics): another --module is a usage error.
    bool kecho_only = false;

    [[nodiscard]] std::span<const OptionSpec> options_for(const Server& server) const {
        return server_options != nullptr ? server_options(server) : options;
    }
    [[nodiscard]] std::string_view arguments_for(const Server& server) const {
        return server_arguments != nullptr ? server_arguments(server) : arguments;
    }
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
