// The one way keechoctl changes a running kecho's options, for reconfigure,
// daemon start and SIGHUP alike, all or nothing.
#pragma once

#include "kecho_control.h"
#include "kecho_params.h"

#include <functional>

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
// and something was persisted, kecho is reloaded once more to come back
// with the previous options. Undo steps are best effort; the first error
// propagates unchanged.
void apply(const ApplyPlan& plan, KechoControl& kecho, const PersistStep& persist = {});

} // namespace kecho::ctl
