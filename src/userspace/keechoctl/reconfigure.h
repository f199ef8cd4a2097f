// reconfigure: new option values go into the modprobe.d file atomically and
// onto the running module (kecho or khttpd, server.h) through apply(): live
// through sysfs where the module allows it, by a reload otherwise; all or
// nothing.
#pragma once

#include "cli_args.h"
#include "kecho_control.h"
#include "kecho_params.h"
#include "paths.h"
#include "server.h"

#include <iosfwd>
#include <span>
#include <string_view>

namespace kecho::ctl {

// The command's options: one per row of the server's table.
std::span<const OptionSpec> reconfigure_options(const Server& server);

// Its usage line: "[--port N] [--backlog N] ...".
std::string_view reconfigure_arguments(const Server& server);

// The flags given, as parameter values; UsageError on any bad value or when
// none is given.
ParamMap parse_reconfigure_args(const Server& server, const ParsedArgs& args);

// Applies `changes` to `server`. Order: parse the modprobe.d file (refuse
// if malformed), apply live values, write the file, reload if a reload-only
// value changed on a loaded module. Any failure undoes what was done (see
// apply.h) and throws.
void reconfigure(const Paths& paths, const Server& server, const ParamMap& changes,
                 KechoControl& kecho, std::ostream& out, std::ostream& err);

} // namespace kecho::ctl
