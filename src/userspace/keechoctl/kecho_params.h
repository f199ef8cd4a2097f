// kecho's module parameters (the shared contract): defaults, which can be
// changed on a live module, and how to validate and compare their values.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kecho::ctl {

struct ParamSpec {
    std::string_view name;
    std::string_view default_value;
    bool live; // 0644 in sysfs: writing it applies the change without a reload
};

const std::vector<ParamSpec>& kecho_param_specs();
const ParamSpec* find_param(std::string_view name);

using ParamMap = std::map<std::string, std::string>;

// Nullopt when `value` is acceptable for `name`, else why not ("not a valid port").
// Unknown names are accepted: they are the kernel's business.
std::optional<std::string> param_value_problem(std::string_view name, std::string_view value);

// Canonical form for comparison: bools as "1"/"0", numbers without leading zeros.
std::string normalize_param(std::string_view name, std::string_view value);

// What it takes to go from the module's current parameters to the wanted ones.
// Parameters missing from `wanted` mean their defaults.
struct ApplyPlan {
    std::vector<std::pair<std::string, std::string>> live; // write to sysfs
    std::vector<std::string> reload_reasons;               // "bench 0 -> 1"
    [[nodiscard]] bool needs_reload() const { return !reload_reasons.empty(); }
    [[nodiscard]] bool empty() const { return live.empty() && reload_reasons.empty(); }
};
ApplyPlan plan_apply(const ParamMap& wanted, const ParamMap& current);

} // namespace kecho::ctl
