#include "kecho_params.h"

#include "number_parse.h"

#include <algorithm>

namespace kecho::ctl {

const std::vector<ParamSpec>& kecho_param_specs() {
    static const std::vector<ParamSpec> specs = {
        {"port", "12345", true}, {"backlog", "128", true}, {"max_conns", "10000", true},
        {"bench", "0", false},   {"bind", "", false},
    };
    return specs;
}

const ParamSpec* find_param(std::string_view name) {
    const auto& specs = kecho_param_specs();
    const auto it = std::find_if(specs.begin(), specs.end(),
                                 [name](const ParamSpec& spec) { return spec.name == name; });
    return it == specs.end() ? nullptr : &*it;
}

std::optional<std::string> param_value_problem(std::string_view name, std::string_view value) {
    if (name == "port") {
        const auto v = parse_decimal(value);
        if (!v || *v < 1 || *v > 65535)
            return "not a valid port (1-65535)";
    } else if (name == "backlog") {
        const auto v = parse_decimal(value);
        if (!v || *v < 1 || *v > kMaxBacklog)
            return "not a valid backlog (1-" + std::to_string(kMaxBacklog) + ")";
    } else if (name == "max_conns") {
        const auto v = parse_decimal(value);
        if (!v || *v > 0xffffffffULL)
            return "not a valid unsigned number";
    } else if (name == "bench") {
        if (!parse_kernel_bool(value))
            return "not a boolean (0 or 1)";
    }
    return std::nullopt;
}

std::string normalize_param(std::string_view name, std::string_view value) {
    if (name == "bench") {
        const auto b = parse_kernel_bool(value);
        if (b)
            return *b ? "1" : "0";
    } else if (name == "port" || name == "backlog" || name == "max_conns") {
        const auto v = parse_decimal(value);
        if (v)
            return std::to_string(*v);
    }
    return std::string(value);
}

ApplyPlan plan_apply(const ParamMap& wanted, const ParamMap& current) {
    ApplyPlan plan;
    for (const auto& spec : kecho_param_specs()) {
        const std::string name(spec.name);
        const auto w = wanted.find(name);
        const std::string want =
            normalize_param(name, w != wanted.end() ? w->second : std::string(spec.default_value));
        const auto c = current.find(name);
        if (c == current.end())
            continue; // the module does not expose it: nothing to compare against
        const std::string have = normalize_param(name, c->second);
        if (want == have)
            continue;
        if (spec.live)
            plan.live.emplace_back(name, want);
        else
            plan.reload_reasons.push_back(name + " " + (have.empty() ? "\"\"" : have) + " -> " +
                                          (want.empty() ? "\"\"" : want));
    }
    return plan;
}

} // namespace kecho::ctl
