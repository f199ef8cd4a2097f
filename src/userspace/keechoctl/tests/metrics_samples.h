// Snapshots shared by the metrics tests and the promtool check.
#pragma once

#include "metrics.h"

namespace kecho::ctl::test {

// kecho loaded in chat mode on port 12345, healthy with a 1,234 us round
// trip, every counter of today's /proc/net/kecho present.
inline MetricsSnapshot sample_healthy_snapshot() {
    MetricsSnapshot snap;
    snap.kecho_loaded = true;
    snap.version = "0.1.0";
    snap.mode = "chat";
    snap.port = "12345";
    snap.stats = parse_kecho_stats(
        "accepted 9\nactive 3\nrefused 0\nbytes_in 300\nbytes_out 600\nerrors 0\nbuffered 0\n"
        "bytes_zerocopy 0\nclosed_unsent 0\naccept_backoffs 0\nmessages_in 7\nmessages_out "
        "0\noversize 0\n"
        "msg_timeouts 0\nchat_clients 3\nchat_delivered 14\nslow_dropped 1\nqueued_bytes 4160\n"
        "chat_body_bytes 2080\nport 12345\n");
    HealthReport health;
    health.port = 12345;
    health.mode = "chat";
    health.rtt = std::chrono::microseconds(1234);
    snap.health = health;
    return snap;
}

} // namespace kecho::ctl::test
