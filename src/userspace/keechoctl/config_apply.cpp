#include "config_apply.h"

#include "apply.h"
#include "errors.h"
#include "file_io.h"
#include "modprobe_conf.h"
#include "module_state.h"

namespace kecho::ctl {

ApplyOutcome apply_modprobe_conf(const Paths& paths, KechoControl& kecho) {
    ParamMap wanted;
    if (const auto text = read_file(paths.modprobe_conf)) {
        try {
            wanted = ModprobeConf::parse(*text, paths.modprobe_conf).options(kKecho);
        } catch (const ConfParseError& e) {
            throw SystemError(std::string(e.what()) + "; keeping the running configuration");
        }
    }
    const ModuleState state(paths, kKecho);
    if (!state.loaded())
        return {};
    const ApplyPlan plan = plan_apply(wanted, state.params(), state.live_params());
    apply(plan, kecho);

    ApplyOutcome outcome;
    for (const auto& change : plan.live)
        outcome.changes.push_back(change.describe() + " (live)");
    for (const auto& reason : plan.reload_reasons)
        outcome.changes.push_back(reason + " (reload)");
    outcome.reloaded = plan.needs_reload();
    return outcome;
}

} // namespace kecho::ctl
