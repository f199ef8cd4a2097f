// Going from a running server's parameters to the wanted ones: which can be
// written live (the module's sysfs mode says so) and which need a reload.
#pragma once

#include "kecho_options.h"

#include <map>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace kecho::ctl {

using ParamMap = std::map<std::string, std::string>;

// A parameter value for messages: an empty one as "".
std::string shown_value(const std::string& value);

// "port 12345 -> 2000", the way plans and their results are reported.
std::string describe_change(const std::string& name, const std::string& from,
                            const std::string& to);

// One live parameter write, with the value it replaces so it can be undone.
struct LiveChange {
    std::string name;
    std::string from;
    std::string to;
    bool operator==(const LiveChange&) const = default;
    [[nodiscard]] std::string describe() const { return describe_change(name, from, to); }
};

// What it takes to go from the module's current parameters to the wanted ones.
struct ApplyPlan {
    std::vector<LiveChange> live;            // sysfs writes, in this order
    std::vector<std::string> reload_reasons; // "bench 0 -> 1"
    [[nodiscard]] bool needs_reload() const { return !reload_reasons.empty(); }
    [[nodiscard]] bool empty() const { return live.empty() && reload_reasons.empty(); }
};

// `table`: the module's option rows (kecho_options.h); `current`: every
// parameter the loaded module has, `live`: those whose sysfs file is
// writable. A parameter missing from `wanted` means its default (its row);
// one keechoctl has no row for is compared only when `wanted` names it.
// Parameters the module does not have are not planned.
ApplyPlan plan_apply(std::span<const KechoOption> table, const ParamMap& wanted,
                     const ParamMap& current, const std::set<std::string>& live);

} // namespace kecho::ctl
