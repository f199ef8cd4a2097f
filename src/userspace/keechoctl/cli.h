// keechoctl's entry point without main(): global options, dispatch to the
// subcommand, exceptions to exit codes (0 ok, 1 usage, 2 system).
#pragma once

#include "command.h"

#include <span>
#include <string>

namespace kecho::ctl {

int run_cli(std::span<const std::string> args, Context& ctx);

} // namespace kecho::ctl
