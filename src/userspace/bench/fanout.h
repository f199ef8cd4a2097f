// fanout: a chat room's load. S senders and R receivers in one room (kecho
// mode=chat or user-echo-server --mode chat); every message a sender sends
// reaches the R receivers and the S - 1 other senders. Measures deliveries
// per second, delivery latency (send stamp in the body to its arrival),
// the CPU time spent (guest, client, server) and memory at steady state.
#pragma once

#include "histogram.h"
#include "net.h"
#include "options.h"

#include <cstdint>
#include <span>
#include <string>

namespace kecho::bench {

struct FanoutResult {
    std::string label;
    unsigned senders = 0;
    unsigned receivers = 0;
    unsigned threads = 0;
    std::size_t size = 0; // body bytes (the wire adds a 4-byte length)
    double rate = 0;      // offered messages/s (0: window only)
    unsigned window = 0;
    double seconds = 0;     // measured wall time
    uint64_t sent = 0;      // messages sent while measuring
    uint64_t delivered = 0; // copies received while measuring (by every client)
    uint64_t errors = 0;    // order breaks, bad bodies, resets, closed connections
    uint64_t failures = 0;  // connections that could not be made
    double barrier_s = 0;   // connect to "everyone hears every sender"
    Histogram latency;      // nanoseconds, send stamp to arrival
    // CPU seconds over the measured window. server: --server-pid's process,
    // or the kworker threads' (--server-kworkers); -1 when not asked for.
    double guest_cpu_s = 0;
    double client_cpu_s = 0;
    double server_cpu_s = -1;
    double softirq_s = 0; // guest softirq time (/proc/stat), part of guest_cpu_s
    // Memory mid-measurement: server VmRSS (--server-pid), kecho's
    // queued_bytes (/proc/net/kecho, when there), and the guest's Slab and
    // MemTotal-MemAvailable against before the clients connected. -1: none.
    int64_t rss_kb = -1;
    int64_t queued_bytes = -1;
    int64_t slab_delta_kb = 0;
    int64_t used_delta_kb = 0;

    [[nodiscard]] double delivered_per_s() const noexcept {
        return seconds > 0 ? static_cast<double>(delivered) / seconds : 0.0;
    }
};

FanoutResult run_fanout(const Options& o, const Target& t);

std::string format_fanout_human(const FanoutResult& r);
std::string fanout_csv_header();
std::string format_fanout_csv(const FanoutResult& r);

// The barrier's wait before a sender's next probe, after @probes_sent:
// 100 ms, doubling up to 3.2 s. A fixed 100 ms let a slow room's probes
// pile up into a storm (100 senders: 1,000 probes/s, each to 199 clients)
// that the measured window then inherited as a backlog.
uint64_t probe_gap_ns(unsigned probes_sent);

// The body's stamp (exposed for the tests).
struct FanoutStamp {
    uint32_t sender = 0;
    uint32_t flags = 0; // kProbe: a barrier probe, not measured
    uint64_t seq = 0;   // per sender, probes included, from 1
    uint64_t sent_ns = 0;
    static constexpr uint32_t kProbe = 1;
};
void write_stamp(std::span<char> body, const FanoutStamp& s);
FanoutStamp read_stamp(std::span<const char> body);

} // namespace kecho::bench
