// reconfigure: new option values go into the modprobe.d file atomically and
// onto the running module: live through sysfs where kecho allows it, by a
// reload otherwise. The reload is injected so the logic runs in tests.
#pragma once

#include "cli_args.h"
#include "kecho_params.h"
#include "paths.h"

#include <functional>
#include <iosfwd>

namespace kecho::ctl {

// --port/--backlog/--bench/--max-conns as parameter values; UsageError on any
// bad value or when none is given.
ParamMap parse_reconfigure_args(const ParsedArgs& args);

// Applies `changes`. Order: parse the modprobe.d file (refuse if malformed),
// apply live values (rolled back if one fails), write the file, reload if a
// reload-only value changed on a loaded module. Throws SystemError.
void reconfigure(const Paths& paths, const ParamMap& changes, const std::function<void()>& reload,
                 std::ostream& out, std::ostream& err);

} // namespace kecho::ctl
