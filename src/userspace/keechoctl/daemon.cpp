#include "daemon.h"

#include "apply.h"
#include "daemon_logic.h"
#include "errors.h"
#include "file_io.h"
#include "health.h"
#include "kecho_control.h"
#include "kecho_stats.h"
#include "kmod_loader.h"
#include "load_errors.h"
#include "log.h"
#include "metrics.h"
#include "module_state.h"
#include "unique_fd.h"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

namespace kecho::ctl {

namespace {

using std::chrono::microseconds;

void notify(const std::string& state) {
    sd_notify(0, state.c_str());
}

std::string monotonic_usec() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    constexpr long long kUsecPerSec = 1000000;
    constexpr long long kNsecPerUsec = 1000;
    return std::to_string(static_cast<long long>(ts.tv_sec) * kUsecPerSec +
                          ts.tv_nsec / kNsecPerUsec);
}

class Daemon {
  public:
    Daemon(const Paths& paths, const Server& server, const DaemonOptions& opts)
        : paths_(paths), server_(server), module_(server.module), opts_(opts), loader_(paths),
          kecho_(paths, module_), probe_(paths, server, opts.echo_timeout), logic_(2, module_) {}

    int run();

  private:
    void setup_fds();
    void check();
    bool restore(RestoreAction action);
    void restore_failed(const std::exception& e);
    void reload_config();
    std::string counters() const;
    void write_metrics(const HealthReport& report);

    Paths paths_;
    const Server& server_;
    std::string module_;
    DaemonOptions opts_;
    KmodLoader loader_;
    SystemKecho kecho_;
    SystemHealthProbe probe_;
    DaemonLogic logic_;
    UniqueFd signal_fd_;
    UniqueFd timer_fd_;
    std::string last_restore_error_;
    std::string last_metrics_error_;
};

void Daemon::setup_fds() {
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGHUP);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    if (sigprocmask(SIG_BLOCK, &mask, nullptr) != 0)
        throw_errno("sigprocmask");
    signal_fd_.reset(::signalfd(-1, &mask, SFD_CLOEXEC));
    if (!signal_fd_)
        throw_errno("signalfd");

    microseconds interval = opts_.interval;
    std::uint64_t watchdog_usec = 0;
    if (sd_watchdog_enabled(0, &watchdog_usec) > 0) {
        // Ping well within WatchdogSec even if a check takes its full timeout.
        const microseconds third(watchdog_usec / 3);
        if (third < interval)
            interval = third;
        log_message(LOG_INFO, "watchdog enabled: checking every " +
                                  std::to_string(interval.count() / 1000) + " ms");
    }
    timer_fd_.reset(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
    if (!timer_fd_)
        throw_errno("timerfd_create");
    constexpr long kUsecPerSec = 1000000;
    constexpr long kNsecPerUsec = 1000;
    itimerspec its{};
    its.it_interval.tv_sec = static_cast<time_t>(interval.count() / kUsecPerSec);
    its.it_interval.tv_nsec = static_cast<long>(interval.count() % kUsecPerSec) * kNsecPerUsec;
    its.it_value.tv_nsec = 1; // first check right away
    if (::timerfd_settime(timer_fd_.get(), 0, &its, nullptr) != 0)
        throw_errno("timerfd_settime");
}

std::string Daemon::counters() const {
    try {
        const auto text = read_file(paths_.stats_file(module_));
        if (!text)
            return "";
        const KechoStats stats = parse_kecho_stats(*text);
        return "; active " + std::to_string(stats.get("active").value_or(0)) + ", accepted " +
               std::to_string(stats.get("accepted").value_or(0));
    } catch (const std::exception&) {
        return "";
    }
}

bool Daemon::restore(RestoreAction action) {
    try {
        if (action == RestoreAction::LoadModule)
            loader_.load(module_);
        else if (action == RestoreAction::ReloadModule)
            kecho_.reload();
        if (action != RestoreAction::None)
            last_restore_error_.clear();
        return action != RestoreAction::None;
    } catch (const std::exception& e) {
        restore_failed(e);
        return false;
    }
}

void Daemon::restore_failed(const std::exception& e) {
    // The same failure every few seconds is logged once, not every time.
    if (last_restore_error_ != e.what())
        log_message(LOG_ERR, e.what());
    last_restore_error_ = e.what();
}

void Daemon::check() {
    for (int attempt = 0; attempt < 2; ++attempt) {
        const HealthReport report = check_health(probe_, server_);
        const Decision d = logic_.on_health(report);
        if (d.log)
            log_message(d.log_priority, *d.log);
        std::string state = "STATUS=" + d.status + (report.healthy() ? counters() : "");
        if (d.send_ready)
            state += "\nREADY=1";
        if (d.ping_watchdog)
            state += "\nWATCHDOG=1";
        notify(state);
        // After a successful restore, look again at once rather than a tick
        // later; a second restore waits for the next tick.
        if (attempt > 0 || !restore(d.restore)) {
            write_metrics(report);
            return;
        }
    }
}

void Daemon::write_metrics(const HealthReport& report) {
    if (opts_.metrics_file.empty())
        return;
    try {
        MetricsSnapshot snap = collect_metrics(paths_, nullptr);
        snap.health = report;
        write_file_atomic(opts_.metrics_file, prometheus_text(snap));
        last_metrics_error_.clear();
    } catch (const std::exception& e) {
        // A full disk or a missing directory is logged once, not every tick.
        if (last_metrics_error_ != e.what())
            log_message(LOG_ERR, std::string("metrics: ") + e.what());
        last_metrics_error_ = e.what();
    }
}

void Daemon::reload_config() {
    notify("RELOADING=1\nSTATUS=reloading " + paths_.modprobe_conf +
           "\nMONOTONIC_USEC=" + monotonic_usec());
    logic_.reloading();
    try {
        const ApplyOutcome outcome = apply_modprobe_conf(paths_, server_, kecho_);
        if (outcome.changes.empty())
            log_message(LOG_INFO, "SIGHUP: " + paths_.modprobe_conf + " unchanged");
        for (const auto& change : outcome.changes)
            log_message(LOG_NOTICE, "SIGHUP: " + change);
    } catch (const std::exception& e) {
        log_message(LOG_ERR, std::string("SIGHUP: ") + e.what());
    }
    check();
}

int Daemon::run() {
    setup_fds();
    notify("STATUS=starting");
    if (ModuleState(paths_, module_).loaded()) {
        try {
            for (const auto& change : apply_modprobe_conf(paths_, server_, kecho_).changes)
                log_message(LOG_NOTICE, "startup: " + change);
        } catch (const std::exception& e) {
            log_message(LOG_ERR, e.what());
        }
    } else {
        try {
            loader_.load(module_);
        } catch (const ModuleNotFound& e) {
            // Nothing to serve, and retrying cannot help before the
            // administrator installs something: say what, once, and exit
            // with the code that keeps systemd from restarting us.
            log_message(LOG_ERR, e.what());
            notify(std::string("STATUS=") + e.what());
            return kExitNotInstalled;
        } catch (const std::exception& e) {
            restore_failed(e); // the checks retry
        }
    }

    std::array<pollfd, 2> fds{{{signal_fd_.get(), POLLIN, 0}, {timer_fd_.get(), POLLIN, 0}}};
    for (;;) {
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR)
                continue;
            throw_errno("poll");
        }
        if ((fds[1].revents & POLLIN) != 0) {
            std::uint64_t expirations = 0;
            if (::read(timer_fd_.get(), &expirations, sizeof(expirations)) > 0)
                check();
        }
        if ((fds[0].revents & POLLIN) == 0)
            continue;
        signalfd_siginfo si{};
        if (::read(signal_fd_.get(), &si, sizeof(si)) != static_cast<ssize_t>(sizeof(si)))
            continue;
        if (si.ssi_signo == SIGHUP) {
            log_message(LOG_INFO, "SIGHUP: re-reading " + paths_.modprobe_conf);
            reload_config();
            continue;
        }
        log_message(LOG_INFO,
                    std::string("stopping on ") + strsignal(static_cast<int>(si.ssi_signo)));
        notify("STOPPING=1\nSTATUS=stopping");
        if (!opts_.keep_loaded) {
            try {
                if (loader_.unload(module_))
                    log_message(LOG_INFO, "unloaded " + module_);
            } catch (const std::exception& e) {
                log_message(LOG_ERR, e.what());
            }
        }
        return kExitOk;
    }
}

} // namespace

int run_daemon(const Paths& paths, const Server& server, const DaemonOptions& options) {
    log_to_journal(under_systemd());
    try {
        Daemon daemon(paths, server, options);
        return daemon.run();
    } catch (const std::exception& e) {
        log_message(LOG_ERR, e.what());
        return kExitSystem;
    }
}

} // namespace kecho::ctl
