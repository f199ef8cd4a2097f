#include "reconfigure.h"

#include "errors.h"
#include "file_io.h"
#include "modprobe_conf.h"
#include "module_state.h"
#include "number_parse.h"

#include <ostream>
#include <utility>
#include <vector>

namespace kecho::ctl {

namespace {

constexpr const char* kNewFileHeader =
    "# kecho module options (see keechoctl(8)); keechoctl reconfigure keeps\n"
    "# comments and other lines of this file.\n";

// Live parameter writes, undone in reverse order unless committed.
class LiveChanges {
  public:
    explicit LiveChanges(const ModuleState& mod) : mod_(mod) {}
    LiveChanges(const LiveChanges&) = delete;
    LiveChanges& operator=(const LiveChanges&) = delete;
    LiveChanges(LiveChanges&&) = delete;
    LiveChanges& operator=(LiveChanges&&) = delete;
    ~LiveChanges() {
        if (committed_)
            return;
        for (; !undo_.empty(); undo_.pop_back()) {
            try {
                mod_.set_param(undo_.back().first, undo_.back().second);
            } catch (const std::exception&) {
                // Best effort; the error that caused the rollback is reported.
            }
        }
    }
    void set(const std::string& name, const std::string& value, const std::string& old) {
        mod_.set_param(name, value);
        undo_.emplace_back(name, old);
    }
    void commit() { committed_ = true; }

  private:
    const ModuleState& mod_;
    std::vector<std::pair<std::string, std::string>> undo_;
    bool committed_ = false;
};

} // namespace

ParamMap parse_reconfigure_args(const ParsedArgs& args) {
    ParamMap changes;
    if (const auto v = args.value("--port"))
        changes["port"] = std::to_string(parse_port(*v, "--port"));
    if (const auto v = args.value("--backlog"))
        changes["backlog"] = std::to_string(parse_backlog(*v, "--backlog"));
    if (const auto v = args.value("--max-conns"))
        changes["max_conns"] = std::to_string(parse_uint(*v, "--max-conns"));
    if (const auto v = args.value("--bench"))
        changes["bench"] = std::to_string(static_cast<int>(parse_bit(*v, "--bench")));
    if (changes.empty())
        throw UsageError("reconfigure: nothing to change (give --port, --backlog, --bench or "
                         "--max-conns)");
    return changes;
}

void reconfigure(const Paths& paths, const ParamMap& changes, const std::function<void()>& reload,
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

    const ModuleState kecho(paths, kKecho);
    const bool loaded = kecho.loaded();
    ApplyPlan plan;
    if (loaded) {
        const ParamMap current = kecho.params();
        ParamMap wanted = current;
        for (const auto& [key, value] : changes)
            wanted[key] = value;
        plan = plan_apply(wanted, current);
        LiveChanges live(kecho);
        for (const auto& [name, value] : plan.live) {
            const std::string old = normalize_param(name, current.at(name));
            live.set(name, value, old);
            out << name << " " << old << " -> " << value << " (applied live)\n";
        }
        if (new_text != old_text)
            write_file_atomic(paths.modprobe_conf, new_text);
        live.commit();
    } else if (new_text != old_text) {
        write_file_atomic(paths.modprobe_conf, new_text);
    }
    if (new_text != old_text)
        out << "updated " << paths.modprobe_conf << "\n";
    else
        out << paths.modprobe_conf << " already up to date\n";
    if (!loaded) {
        out << "kecho is not loaded; the new options apply when it is loaded\n";
        return;
    }
    if (plan.needs_reload()) {
        for (const auto& reason : plan.reload_reasons)
            err << "keechoctl: warning: " << reason
                << " needs a reload of kecho; its connections will be dropped\n";
        reload();
        out << "reloaded kecho\n";
    }
}

} // namespace kecho::ctl
