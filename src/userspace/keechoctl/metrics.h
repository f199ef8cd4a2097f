// kecho's counters and health in the Prometheus text exposition format
// (version 0.0.4): what `keechoctl metrics` prints and what the daemon
// writes for node_exporter's textfile collector. Names follow Prometheus
// conventions: the kecho_ prefix, base units (bytes, seconds), _total on
// counters.
#pragma once

#include "health.h"
#include "kecho_stats.h"
#include "paths.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kecho::ctl {

// One /proc/net/kecho line as a metric.
struct StatMetric {
    std::string_view key;  // as /proc/net/kecho prints it
    std::string_view name; // the metric's name
    std::string_view type; // "counter" or "gauge"
    std::string_view help;
};

// Every /proc/net/kecho counter keechoctl exports. `port` is not among them:
// it is a label of kecho_info.
std::span<const StatMetric> stat_metrics();

// What one scrape saw.
struct MetricsSnapshot {
    bool kecho_loaded = false;
    bool drop_loaded = false;
    std::optional<std::string> version; // kecho's module version
    std::string mode;                   // its mode parameter ("stream" when it has none)
    std::string port;                   // its port parameter
    std::optional<KechoStats> stats;    // /proc/net/kecho, when kecho is loaded
    std::optional<HealthReport> health; // nullopt: no check was made
};

// The exposition text. Counters /proc/net/kecho does not print (an older
// kecho) are left out rather than shown as 0.
std::string prometheus_text(const MetricsSnapshot& snap);

// A label value with \, " and newline escaped, as the format requires.
std::string escape_label_value(std::string_view value);

// The snapshot from the live system; `probe` is nullptr for no health check.
MetricsSnapshot collect_metrics(const Paths& paths, HealthProbe* probe);

} // namespace kecho::ctl
