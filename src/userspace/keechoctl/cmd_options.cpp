// keechoctl options [--json]: the server's options (--module) as the module
// describes them (modinfo), whether each applies live (its sysfs mode; the
// table's when it is not loaded), its flag, values and default (keechoctl's
// table) and its current value.
#include "command.h"
#include "errors.h"
#include "kecho_options.h"
#include "module_info.h"
#include "module_state.h"
#include "output.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <nlohmann/json.hpp>
#include <ostream>

namespace kecho::ctl {

namespace {

using nlohmann::json;

constexpr std::array<OptionSpec, 1> kOptions = {{
    {"--json", "", "print a JSON object"},
}};

// Position in keechoctl's table; parameters without a row come last.
std::size_t table_rank(const Server& server, const std::string& name) {
    const KechoOption* opt = server.find_option(name);
    return opt == nullptr ? server.options.size()
                          : static_cast<std::size_t>(opt - server.options.data());
}

// Every parameter name: the module file's, then any only sysfs shows, then
// keechoctl's rows when neither is available; in the table's order.
std::vector<ModuleParamInfo> all_params(const Server& server, const std::optional<ModuleInfo>& info,
                                        const ParamMap& loaded) {
    std::vector<ModuleParamInfo> out;
    if (info)
        out = info->params;
    const auto known = [&out](const std::string& name) {
        return std::any_of(out.begin(), out.end(),
                           [&name](const ModuleParamInfo& p) { return p.name == name; });
    };
    for (const auto& [name, value] : loaded)
        if (!known(name))
            out.push_back({name, "", ""});
    if (out.empty()) {
        const auto rows = server.options;
        std::transform(rows.begin(), rows.end(), std::back_inserter(out),
                       [](const KechoOption& opt) {
                           return ModuleParamInfo{std::string(opt.param), "", ""};
                       });
    }
    std::stable_sort(out.begin(), out.end(), [&server](const auto& a, const auto& b) {
        return table_rank(server, a.name) < table_rank(server, b.name);
    });
    return out;
}

json collect(const Paths& paths, const Server& server) {
    const std::string module(server.module);
    const auto info = installed_module_info(module);
    const ModuleState state(paths, module);
    const bool loaded = state.loaded();
    const ParamMap values = loaded ? state.params() : ParamMap{};
    const auto live = state.live_params();
    json j = {{"module", module},
              {"module_file", info ? json(info->path) : json(nullptr)},
              {"loaded", loaded}};
    j["options"] = json::array();
    for (const auto& param : all_params(server, info, values)) {
        json o = {{"name", param.name}, {"description", param.description}};
        const KechoOption* opt = server.find_option(param.name);
        if (opt != nullptr) {
            o["flag"] = opt->flag;
            o["values"] = describe_values(*opt);
            o["default"] = opt->default_value;
        } else {
            o["flag"] = nullptr; // keechoctl has no row for it yet: edit modprobe.d
        }
        if (loaded) {
            const auto v = values.find(param.name);
            o["value"] = v != values.end() ? json(v->second) : json(nullptr);
            o["live"] = live.contains(param.name);
        } else if (opt != nullptr) {
            o["live"] = opt->apply == Apply::Live; // as the module declares it
        }
        j["options"].push_back(o);
    }
    return j;
}

void print_human(const json& j, std::ostream& os) {
    const std::string module = j["module"].get<std::string>();
    os << module << "'s options (descriptions from "
       << (j["module_file"].is_null() ? std::string("no installed module")
                                      : j["module_file"].get<std::string>())
       << "):\n";
    for (const auto& o : j["options"]) {
        std::string name = o["name"].get<std::string>();
        name.resize(std::max<size_t>(name.size() + 2, 14), ' ');
        os << name;
        if (o["flag"].is_null()) {
            os << "(no keechoctl flag: set it in modprobe.d)";
        } else {
            os << o["flag"].get<std::string>() << ": " << o["values"].get<std::string>()
               << ", default " << shown_value(o["default"].get<std::string>());
        }
        if (o.contains("value"))
            os << "; now "
               << (o["value"].is_null() ? "?" : shown_value(o["value"].get<std::string>()));
        if (o.contains("live"))
            os << (o.contains("value") ? ", " : "; ")
               << (o["live"].get<bool>() ? "applies live" : "applies by a reload");
        os << "\n";
        if (!o["description"].get<std::string>().empty())
            os << "    " << o["description"].get<std::string>() << "\n";
    }
    if (!j["loaded"].get<bool>())
        os << module
           << " is not loaded: no current values; live or reload as the module declares them\n";
}

int run(const ParsedArgs& args, Context& ctx) {
    print_report(args.has("--json"), collect(ctx.paths, *ctx.server), ctx.out, print_human);
    return kExitOk;
}

} // namespace

const Command& options_command() {
    static const Command cmd{"options", "[--json]",
                             "the module's options: description, flag, default, live or reload",
                             kOptions, run};
    return cmd;
}

} // namespace kecho::ctl
