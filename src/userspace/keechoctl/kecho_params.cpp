#include "kecho_params.h"

namespace kecho::ctl {

std::string shown_value(const std::string& value) {
    return value.empty() ? "\"\"" : value;
}

std::string describe_change(const std::string& name, const std::string& from,
                            const std::string& to) {
    return name + " " + shown_value(from) + " -> " + shown_value(to);
}

namespace {

void plan_one(ApplyPlan& plan, const std::string& name, const std::string& have,
              const std::string& want, bool live) {
    if (want == have)
        return;
    if (live)
        plan.live.push_back({name, have, want});
    else
        plan.reload_reasons.push_back(describe_change(name, have, want));
}

} // namespace

ApplyPlan plan_apply(std::span<const KechoOption> table, const ParamMap& wanted,
                     const ParamMap& current, const std::set<std::string>& live) {
    ApplyPlan plan;
    // keechoctl's rows first, in their order, then what only the module knows.
    for (const auto& opt : table) {
        const std::string name(opt.param);
        const auto c = current.find(name);
        if (c == current.end())
            continue; // this build of the module has no such parameter
        const auto w = wanted.find(name);
        const std::string want =
            normalize_option_value(opt, w != wanted.end() ? w->second : opt.default_value);
        plan_one(plan, name, normalize_option_value(opt, c->second), want, live.contains(name));
    }
    for (const auto& [name, have] : current) {
        const auto w = wanted.find(name);
        if (find_option(table, name) == nullptr && w != wanted.end())
            plan_one(plan, name, have, w->second, live.contains(name));
    }
    return plan;
}

} // namespace kecho::ctl
