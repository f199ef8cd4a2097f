// reconfigure: new option values go into the modprobe.d file atomically and
// onto the running module through apply(): live through sysfs where kecho
// allows it, by a reload otherwise; all or nothing.
#pragma once

#include "cli_args.h"
#include "kecho_control.h"
#include "kecho_params.h"
#include "paths.h"

#include <iosfwd>
#include <span>

namespace kecho::ctl {

// The command's options: one per row of kecho_options(), plus --help.
std::span<const OptionSpec> reconfigure_options();

// The flags given, as parameter values; UsageError on any bad value or when
// none is given.
ParamMap parse_reconfigure_args(const ParsedArgs& args);

// Applies `changes`. Order: parse the modprobe.d file (refuse if malformed),
// apply live values, write the file, reload if a reload-only value changed on
// a loaded module. Any failure undoes what was done (see apply.h) and throws.
void reconfigure(const Paths& paths, const ParamMap& changes, KechoControl& kecho,
                 std::ostream& out, std::ostream& err);

} // namespace kecho::ctl
