#include "apply.h"

#include "errors.h"
#include "file_io.h"
#include "modprobe_conf.h"
#include "module_state.h"

#include <exception>
#include <utility>
#include <vector>

namespace kecho::ctl {

namespace {

// Undo steps, run newest first when it goes out of scope uncommitted.
class Rollback {
  public:
    Rollback() = default;
    Rollback(const Rollback&) = delete;
    Rollback& operator=(const Rollback&) = delete;
    Rollback(Rollback&&) = delete;
    Rollback& operator=(Rollback&&) = delete;
    ~Rollback() {
        if (!committed_)
            undo_all();
    }
    void add(std::function<void()> undo) { undo_.push_back(std::move(undo)); }
    void commit() { committed_ = true; }
    void undo_all() noexcept {
        for (; !undo_.empty(); undo_.pop_back()) {
            try {
                undo_.back()();
            } catch (const std::exception&) {
                // Best effort: the error that caused the rollback is reported.
            }
        }
    }

  private:
    std::vector<std::function<void()>> undo_;
    bool committed_ = false;
};

} // namespace

void apply(const ApplyPlan& plan, KechoControl& kecho, const PersistStep& persist) {
    Rollback rollback;
    for (const auto& change : plan.live) {
        kecho.set_param(change.name, change.to);
        rollback.add([&kecho, &change] { kecho.set_param(change.name, change.from); });
    }
    if (persist.run) {
        persist.run();
        if (persist.undo)
            rollback.add(persist.undo);
    }
    if (plan.needs_reload()) {
        try {
            kecho.reload();
        } catch (const std::exception&) {
            rollback.undo_all();
            if (persist.run) {
                try {
                    kecho.reload(); // the previous options are back in place
                } catch (const std::exception&) {
                    // Best effort: the first error is the one reported.
                }
            }
            throw;
        }
    }
    rollback.commit();
}

ApplyOutcome apply_modprobe_conf(const Paths& paths, const Server& server, KechoControl& kecho) {
    ParamMap wanted;
    if (const auto text = read_file(paths.modprobe_conf)) {
        try {
            wanted = ModprobeConf::parse(*text, paths.modprobe_conf).options(server.module);
        } catch (const ConfParseError& e) {
            throw SystemError(std::string(e.what()) + "; keeping the running configuration");
        }
    }
    const ModuleState state(paths, std::string(server.module));
    if (!state.loaded())
        return {};
    const ApplyPlan plan = plan_apply(server.options, wanted, state.params(), state.live_params());
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
