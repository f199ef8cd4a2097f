#include "config_apply.h"

#include "errors.h"
#include "file_io.h"
#include "modprobe_conf.h"
#include "module_state.h"

namespace kecho::ctl {

ApplyOutcome apply_modprobe_conf(const Paths& paths, const std::function<void()>& reload) {
    ApplyOutcome outcome;
    ParamMap wanted;
    const auto text = read_file(paths.modprobe_conf);
    if (text) {
        try {
            wanted = ModprobeConf::parse(*text, paths.modprobe_conf).options(kKecho);
        } catch (const ConfParseError& e) {
            throw SystemError(std::string(e.what()) + "; keeping the running configuration");
        }
    }
    const ModuleState kecho(paths, kKecho);
    if (!kecho.loaded())
        return outcome;
    const ParamMap current = kecho.params();
    const ApplyPlan plan = plan_apply(wanted, current);
    for (const auto& [name, value] : plan.live) {
        kecho.set_param(name, value);
        outcome.changes.push_back(name + " " + normalize_param(name, current.at(name)) + " -> " +
                                  value + " (live)");
    }
    if (plan.needs_reload()) {
        for (const auto& reason : plan.reload_reasons)
            outcome.changes.push_back(reason + " (reload)");
        reload();
        outcome.reloaded = true;
    }
    return outcome;
}

} // namespace kecho::ctl
