// Bringing a loaded kecho in line with the modprobe.d file (daemon start and
// SIGHUP): live parameters through sysfs, the rest by a reload, through
// apply(): a failure part-way undoes what was done.
#pragma once

#include "kecho_control.h"
#include "paths.h"

#include <string>
#include <vector>

namespace kecho::ctl {

struct ApplyOutcome {
    std::vector<std::string> changes; // "port 12345 -> 2000 (live)", "bench 0 -> 1 (reload)"
    bool reloaded = false;
};

// Reads and parses the file (SystemError if it cannot), compares with the
// running module and applies the difference. A module that is not loaded is
// left alone. Throws what apply() throws, with everything undone.
ApplyOutcome apply_modprobe_conf(const Paths& paths, KechoControl& kecho);

} // namespace kecho::ctl
