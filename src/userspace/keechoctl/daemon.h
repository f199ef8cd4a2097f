// `keechoctl daemon`: the systemd service loop (Type=notify, WatchdogSec).
#pragma once

#include "paths.h"

#include <chrono>
#include <string>

namespace kecho::ctl {

struct DaemonOptions {
    std::chrono::seconds interval{5};
    std::chrono::milliseconds echo_timeout{2000};
    bool keep_loaded = false; // SIGTERM leaves kecho loaded
    // After every check, the metrics (metrics.h) replace this file
    // atomically, for node_exporter's textfile collector; empty: none.
    std::string metrics_file;
};

// Runs until SIGTERM or SIGINT; returns the exit code.
int run_daemon(const Paths& paths, const DaemonOptions& options);

} // namespace kecho::ctl
