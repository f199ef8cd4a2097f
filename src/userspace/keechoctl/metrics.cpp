#include "metrics.h"

#include "file_io.h"
#include "module_state.h"

#include <array>
#include <cstdio>
#include <sstream>

namespace kecho::ctl {

namespace {

constexpr std::array<StatMetric, 19> kStatMetrics = {{
    {"accepted", "kecho_connections_accepted_total", "counter", "Connections accepted."},
    {"active", "kecho_connections_active", "gauge", "Connections open now."},
    {"refused", "kecho_connections_refused_total", "counter",
     "Connections reset at once because max_conns were open."},
    {"bytes_in", "kecho_received_bytes_total", "counter", "Bytes received from clients."},
    {"bytes_out", "kecho_sent_bytes_total", "counter", "Bytes sent to clients."},
    {"errors", "kecho_errors_total", "counter", "Connections that ended with an error."},
    {"buffered", "kecho_buffered_bytes", "gauge", "Bytes received and not yet sent on."},
    {"bytes_zerocopy", "kecho_zerocopy_sent_bytes_total", "counter",
     "Bytes echoed by sending the received pages back, without a copy."},
    {"closed_unsent", "kecho_closed_unsent_total", "counter",
     "Connections that ended before their echo was delivered (reset, user timeout, unload)."},
    {"accept_backoffs", "kecho_accept_backoffs_total", "counter",
     "Pauses in accepting after a failed accept."},
    {"messages_in", "kecho_messages_received_total", "counter",
     "Whole messages received (message and chat modes)."},
    {"messages_out", "kecho_messages_sent_total", "counter",
     "Whole messages echoed (message mode)."},
    {"oversize", "kecho_oversize_messages_total", "counter",
     "Connections reset for a message header over max_msg."},
    {"msg_timeouts", "kecho_message_timeouts_total", "counter",
     "Connections reset for a message not completed within msg_timeout."},
    {"chat_clients", "kecho_chat_clients", "gauge", "Clients in the chat room now."},
    {"chat_delivered", "kecho_chat_delivered_total", "counter",
     "Chat message copies wholly written to a receiver."},
    {"slow_dropped", "kecho_chat_slow_dropped_total", "counter",
     "Chat clients reset because their queue passed chat_queue."},
    {"queued_bytes", "kecho_chat_queued_bytes", "gauge",
     "Bytes charged to the chat clients' outbound queues now."},
    {"chat_body_bytes", "kecho_chat_body_bytes", "gauge",
     "Bytes of chat messages held in memory now, each stored once for all its receivers."},
}};

void family(std::ostringstream& os, std::string_view name, std::string_view type,
            std::string_view help) {
    os << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
}

std::string seconds_text(std::chrono::microseconds us) {
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%.6f", static_cast<double>(us.count()) / 1e6);
    return buf.data();
}

} // namespace

std::span<const StatMetric> stat_metrics() {
    return kStatMetrics;
}

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::string prometheus_text(const MetricsSnapshot& snap) {
    std::ostringstream os;
    family(os, "kecho_up", "gauge", "Whether the kernel module is loaded (1) or not (0).");
    os << "kecho_up{module=\"" << kKecho << "\"} " << (snap.kecho_loaded ? 1 : 0) << "\n";
    os << "kecho_up{module=\"" << kDropModule << "\"} " << (snap.drop_loaded ? 1 : 0) << "\n";

    if (snap.kecho_loaded) {
        family(os, "kecho_info", "gauge", "kecho's version, mode and port; always 1.");
        os << "kecho_info{version=\"" << escape_label_value(snap.version.value_or(""))
           << "\",mode=\"" << escape_label_value(snap.mode) << "\",port=\""
           << escape_label_value(snap.port) << "\"} 1\n";
    }

    if (snap.health) {
        family(os, "kecho_healthy", "gauge",
               "Whether the last health check passed: listener present and a real echo round "
               "trip (1), or not (0).");
        os << "kecho_healthy " << (snap.health->healthy() ? 1 : 0) << "\n";
        if (snap.health->healthy()) {
            family(os, "kecho_echo_round_trip_seconds", "gauge",
                   "Round trip time of the last health check's echo.");
            os << "kecho_echo_round_trip_seconds " << seconds_text(snap.health->rtt) << "\n";
        }
    }

    if (snap.stats) {
        for (const StatMetric& m : kStatMetrics) {
            const auto v = snap.stats->get(std::string(m.key));
            if (!v)
                continue;
            family(os, m.name, m.type, m.help);
            os << m.name << " " << *v << "\n";
        }
    }
    return os.str();
}

MetricsSnapshot collect_metrics(const Paths& paths, HealthProbe* probe) {
    MetricsSnapshot snap;
    const ModuleState kecho(paths, kKecho);
    snap.kecho_loaded = kecho.loaded();
    snap.drop_loaded = ModuleState(paths, kDropModule).loaded();
    if (snap.kecho_loaded) {
        snap.version = kecho.version();
        snap.mode = kecho.param("mode").value_or("stream");
        snap.port = kecho.param("port").value_or("");
        if (const auto text = read_file(paths.stats_file(kKecho)))
            snap.stats = parse_kecho_stats(*text);
    }
    if (probe != nullptr)
        snap.health = check_health(*probe, kecho_server());
    return snap;
}

} // namespace kecho::ctl
