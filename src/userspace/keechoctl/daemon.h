// `keechoctl daemon`: the systemd service loop (Type=notify, WatchdogSec),
// for kecho.service and khttpd.service alike.
#pragma once

#include "paths.h"
#include "server.h"

#include <chrono>
#include <string>

namespace kecho::ctl {

struct DaemonOptions {
    std::chrono::seconds interval{5};
    std::chrono::milliseconds echo_timeout{2000};
    bool keep_loaded = false; // SIGTERM leaves the module loaded
    // kecho only: after every check, the metrics (metrics.h) replace this
    // file atomically, for node_exporter's textfile collector; empty: none.
    std::string metrics_file;
};

// Keeps `server`'s module loaded and healthy until SIGTERM or SIGINT;
// returns the exit code.
int run_daemon(const Paths& paths, const Server& server, const DaemonOptions& options);

} // namespace kecho::ctl
