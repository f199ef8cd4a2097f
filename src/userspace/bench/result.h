// What one bench run measured, and how it is printed.
#pragma once

#include "histogram.h"
#include "options.h"

#include <cstdint>
#include <string>

namespace kecho::bench {

struct Result {
    std::string mode;
    std::string label;
    unsigned conns = 0;
    unsigned threads = 0;
    std::size_t size = 0;
    double seconds = 0;    // measured wall time
    uint64_t requests = 0; // completed, verified echoes
    uint64_t bytes = 0;    // echoed bytes received
    uint64_t failures = 0; // connections that could not be made
    uint64_t errors = 0;   // I/O errors, resets, short or wrong echoes
    Histogram latency;     // nanoseconds
    // CPU seconds over the measured window: the whole guest's busy time,
    // the client's (this process) and the server's (--server-pid, or the
    // kworker threads with --server-kworkers); -1 when not measured.
    double guest_cpu_s = -1;
    double client_cpu_s = -1;
    double server_cpu_s = -1;

    [[nodiscard]] double rate() const noexcept {
        return seconds > 0 ? static_cast<double>(requests) / seconds : 0.0;
    }
};

std::string format_human(const Result& r);
std::string csv_header();
std::string format_csv(const Result& r);
std::string format_json(const Result& r);

} // namespace kecho::bench
