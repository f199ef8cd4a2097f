#include "reconfigure.h"

#include "apply.h"
#include "errors.h"
#include "file_io.h"
#include "kecho_options.h"
#include "modprobe_conf.h"
#include "module_state.h"

#include <algorithm>
#include <ostream>
#include <unistd.h>
#include <vector>

namespace kecho::ctl {

namespace {

constexpr const char* kNewFileHeader =
    "# kecho module options (see keechoctl(8)); keechoctl reconfigure keeps\n"
    "# comments and other lines of this file.\n";

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

std::span<const OptionSpec> reconfigure_options() {
    static const std::vector<std::string> helps = [] {
        const auto options = kecho_options();
        std::vector<std::string> out(options.size());
        std::transform(options.begin(), options.end(), out.begin(), [](const KechoOption& opt) {
            return std::string(opt.param) + ", " + describe_values(opt);
        });
        return out;
    }();
    static const std::vector<OptionSpec> specs = [] {
        std::vector<OptionSpec> out;
        const auto options = kecho_options();
        for (size_t i = 0; i < options.size(); ++i)
            out.push_back({options[i].flag, options[i].value_name, helps[i]});
        return out;
    }();
    return specs;
}

ParamMap parse_reconfigure_args(const ParsedArgs& args) {
    ParamMap changes;
    for (const auto& opt : kecho_options())
        if (const auto v = args.value(opt.flag))
            changes[std::string(opt.param)] = parse_flag_value(opt, *v);
    if (changes.empty())
        throw UsageError("reconfigure: nothing to change (see keechoctl reconfigure --help)");
    return changes;
}

void reconfigure(const Paths& paths, const ParamMap& changes, KechoControl& kecho,
                 std::ostream& out, std::ostream& err) {
    const auto old_text = read_file(paths.modprobe_conf);
    ModprobeConf conf;
    try {
        conf = ModprobeConf::parse(old_text.value_or(kNewFileHeader), paths.modprobe_conf);
    } catch (const ConfParseError& e) {
        throw SystemError(std::string(e.what()) + "; not rewriting it, fix it by hand");
    }
    for (const auto& [key, value] : changes)
        conf.set_option(kKecho, key, value);
    const std::string new_text = conf.render();
    const PersistStep rewrite = rewrite_step(paths.modprobe_conf, old_text, new_text);

    const ModuleState state(paths, kKecho);
    const bool loaded = state.loaded();
    ApplyPlan plan;
    if (loaded) {
        const ParamMap current = state.params();
        ParamMap wanted = current;
        for (const auto& [key, value] : changes)
            wanted[key] = value;
        plan = plan_apply(wanted, current, state.live_params());
        for (const auto& reason : plan.reload_reasons)
            err << "keechoctl: warning: " << reason
                << " needs a reload of kecho; its connections will be dropped\n";
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
        out << "kecho is not loaded; the new options apply when it is loaded\n";
    else if (plan.needs_reload())
        out << "reloaded kecho\n";
}

} // namespace kecho::ctl
