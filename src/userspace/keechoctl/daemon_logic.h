// What the daemon does after each health check: notify systemd, ping the
// watchdog, restore the server's module (kecho or khttpd), log. Pure:
// tested without systemd or modules.
#pragma once

#include "health.h"

#include <optional>
#include <string>
#include <syslog.h>
#include <utility>

namespace kecho::ctl {

enum class RestoreAction { None, LoadModule, ReloadModule };

struct Decision {
    bool send_ready = false;
    bool ping_watchdog = false;
    RestoreAction restore = RestoreAction::None;
    std::string status; // one line for STATUS=
    std::optional<std::string> log;
    int log_priority = LOG_INFO;
};

class DaemonLogic {
  public:
    // Round trip failures in a row (with a listener present) before the
    // module is reloaded; `module` names it in the log.
    explicit DaemonLogic(unsigned echo_failures_before_reload = 2, std::string module = "kecho")
        : echo_limit_(echo_failures_before_reload), module_(std::move(module)) {}

    Decision on_health(const HealthReport& report);
    // After SIGHUP: READY=1 must be sent again once the reload is done.
    void reloading() { reload_pending_ = true; }
    [[nodiscard]] bool ready() const { return ready_; }

  private:
    unsigned echo_limit_;
    std::string module_;
    unsigned echo_failures_ = 0;
    bool ready_ = false;
    bool healthy_ = false;
    bool reload_pending_ = false;
    HealthProblem last_problem_ = HealthProblem::None;
};

} // namespace kecho::ctl
