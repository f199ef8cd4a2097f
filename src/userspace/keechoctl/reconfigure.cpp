#include "reconfigure.h"

#include "apply.h"
#include "errors.h"
#include "file_io.h"
#include "kecho_options.h"
#include "modprobe_conf.h"
#include "module_state.h"

#include <map>
#include <ostream>
#include <unistd.h>
#include <vector>

namespace kecho::ctl {

namespace {

// The first lines of a file reconfigure creates.
std::string new_file_header(const Server& server) {
    return "# " + std::string(server.module) +
           " module options (see keechoctl(8)); keechoctl reconfigure keeps\n"
           "# comments and other lines of this file.\n";
}

// One server's flags: the help texts, then the specs that point into them
// (built in place, never moved).
struct FlagTable {
    std::vector<std::string> helps;
    std::vector<OptionSpec> specs;
    std::string arguments;
};

const FlagTable& flag_table(const Server& server) {
    static const std::map<std::string_view, FlagTable> tables = [] {
        std::map<std::string_view, FlagTable> out;
        for (const Server* s : servers()) {
            FlagTable& t = out[s->module];
            for (const auto& opt : s->options) {
                t.helps.push_back(std::string(opt.param) + ", " + describe_values(opt));
                t.arguments += (t.arguments.empty() ? "[" : " [") + std::string(opt.flag) + " " +
                               std::string(opt.value_name) + "]";
            }
            for (size_t i = 0; i < s->options.size(); ++i)
                t.specs.push_back({s->options[i].flag, s->options[i].value_name, t.helps[i]});
        }
        return out;
    }();
    return tables.at(server.module);
}

// The modprobe.d file's new text, and how to put the old one back.
PersistStep rewrite_step(const std::string& path, const std::optional<std::string>& old_text,
                         const std::string& new_text) {
    if (new_text == old_text)
        return {};
    return {[&path, &new_text] { write_file_atomic(path, new_text); },
            [&path, &old_text] {
                if (old_text)
                    write_file_atomic(path, *old_text);
                else
                    ::unlink(path.c_str());
            }};
}

} // namespace

std::span<const OptionSpec> reconfigure_options(const Server& server) {
    return flag_table(server).specs;
}

std::string_view reconfigure_arguments(const Server& server) {
    return flag_table(server).arguments;
}

ParamMap parse_reconfigure_args(const Server& server, const ParsedArgs& args) {
    ParamMap changes;
    for (const auto& opt : server.options)
        if (const auto v = args.value(opt.flag))
            changes[std::string(opt.param)] = parse_flag_value(opt, *v);
    if (changes.empty())
        throw UsageError("reconfigure: nothing to change (see " + keechoctl_for(server.module) +
                         " reconfigure --help)");
    return changes;
}

void reconfigure(const Paths& paths, const Server& server, const ParamMap& changes,
                 KechoControl& kecho, std::ostream& out, std::ostream& err) {
    const std::string module(server.module);
    const auto old_text = read_file(paths.modprobe_conf);
    ModprobeConf conf;
    try {
        conf = ModprobeConf::parse(old_text.value_or(new_file_header(server)), paths.modprobe_conf);
    } catch (const ConfParseError& e) {
        throw SystemError(std::string(e.what()) + "; not rewriting it, fix it by hand");
    }
    for (const auto& [key, value] : changes)
        conf.set_option(module, key, value);
    const std::string new_text = conf.render();
    const PersistStep rewrite = rewrite_step(paths.modprobe_conf, old_text, new_text);

    const ModuleState state(paths, module);
    const bool loaded = state.loaded();
    ApplyPlan plan;
    if (loaded) {
        const ParamMap current = state.params();
        ParamMap wanted = current;
        for (const auto& [key, value] : changes)
            wanted[key] = value;
        plan = plan_apply(server.options, wanted, current, state.live_params());
        for (const auto& reason : plan.reload_reasons)
            err << "keechoctl: warning: " << reason << " needs a reload of " << module
                << "; its connections will be dropped\n";
        apply(plan, kecho, rewrite);
    } else if (rewrite.run) {
        rewrite.run();
    }
    for (const auto& change : plan.live)
        out << change.describe() << " (applied live)\n";
    if (rewrite.run)
        out << "updated " << paths.modprobe_conf << "\n";
    else
        out << paths.modprobe_conf << " already up to date\n";
    if (!loaded)
        out << module << " is not loaded; the new options apply when it is loaded\n";
    else if (plan.needs_reload())
        out << "reloaded " << module << "\n";
}

} // namespace kecho::ctl
