#include "daemon_logic.h"

namespace kecho::ctl {

Decision DaemonLogic::on_health(const HealthReport& report) {
    Decision d;
    if (report.healthy()) {
        d.ping_watchdog = true;
        d.status = report.reason;
        if (!ready_ || reload_pending_)
            d.send_ready = true;
        if (!healthy_)
            d.log = ready_ ? "recovered: " + report.reason : report.reason;
        ready_ = true;
        reload_pending_ = false;
        last_problem_ = HealthProblem::None;
        healthy_ = true;
        echo_failures_ = 0;
        return d;
    }

    const bool was_healthy = healthy_;
    healthy_ = false;
    d.status = "unhealthy: " + report.reason;
    d.log_priority = LOG_WARNING;
    switch (report.problem) {
    case HealthProblem::ModuleMissing:
        echo_failures_ = 0;
        d.restore = RestoreAction::LoadModule;
        d.log = ready_ ? module_ + " was unloaded behind our back; loading it again"
                       : module_ + " is not loaded; loading it";
        if (!ready_)
            d.log_priority = LOG_INFO;
        break;
    case HealthProblem::PortUnknown:
    case HealthProblem::ListenerMissing:
        echo_failures_ = 0;
        d.restore = RestoreAction::ReloadModule;
        d.log = report.reason + "; reloading " + module_ + " to restore it";
        break;
    case HealthProblem::ModeUnknown: // a reload would bring the same mode back
        echo_failures_ = 0;
        d.log = report.reason;
        break;
    case HealthProblem::EchoFailed:
        if (++echo_failures_ >= echo_limit_) {
            d.restore = RestoreAction::ReloadModule;
            d.log = report.reason + " (" + std::to_string(echo_failures_) +
                    " times in a row); reloading " + module_;
            echo_failures_ = 0;
        } else {
            d.log = report.reason;
        }
        break;
    case HealthProblem::None:
        break;
    }
    if (was_healthy && d.restore == RestoreAction::None)
        d.log_priority = LOG_WARNING;
    // A restore that keeps failing is logged when the problem starts (the
    // failure itself is logged by whoever runs the restore), not every check.
    if (report.problem == last_problem_ && report.problem != HealthProblem::EchoFailed)
        d.log.reset();
    last_problem_ = report.problem;
    return d;
}

} // namespace kecho::ctl
