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

    [[nodiscard]] double rate() const noexcept {
        return seconds > 0 ? static_cast<double>(requests) / seconds : 0.0;
    }
};

std::string format_human(const Result& r);
std::string csv_header();
std::string format_csv(const Result& r);
std::string format_json(const Result& r);

} // namespace kecho::bench
