// The one way keechoctl changes a running server's options, for
// reconfigure, daemon start and SIGHUP alike, all or nothing: apply() runs a
// plan (kecho_params.h) through KechoControl; apply_modprobe_conf() is what
// daemon start and SIGHUP run.
#pragma once

#include "kecho_control.h"
#include "kecho_params.h"
#include "paths.h"
#include "server.h"

#include <functional>
#include <string>
#include <vector>

namespace kecho::ctl {

// A step that records the new options somewhere (reconfigure: modprobe.d),
// and how to take it back.
struct PersistStep {
    std::function<void()> run;
    std::function<void()> undo;
};

// Order: every live write of `plan`, then `persist.run`, then the reload if
// the plan needs one (it loads from modprobe.d, so it must come after).
// If any step throws, what was done is undone, newest first: live values
// are written back and `persist.undo` runs; when the reload itself failed
// and something was persisted, the module is reloaded once more to come back
// with the previous options. Undo steps are best effort; the first error
// propagates unchanged.
void apply(const ApplyPlan& plan, KechoControl& kecho, const PersistStep& persist = {});

struct ApplyOutcome {
    std::vector<std::string> changes; // "port 12345 -> 2000 (live)", "bench 0 -> 1 (reload)"
    bool reloaded = false;
};

// Bringing `server`'s loaded module in line with the modprobe.d file
// (daemon start and SIGHUP): reads and parses the file (SystemError if it
// cannot), compares with the running module and applies the difference,
// live parameters through sysfs, the rest by a reload. A module that is not
// loaded is left alone. Throws what apply() throws, with everything undone.
ApplyOutcome apply_modprobe_conf(const Paths& paths, const Server& server, KechoControl& kecho);

} // namespace kecho::ctl
