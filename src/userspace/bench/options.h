// bench's command line.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace kecho::bench {

enum class Mode { crr, rr, stream, sweep, idle };
enum class Format { human, csv, json };

struct Options {
    std::string host = "127.0.0.1";
    uint16_t port = 12345;
    unsigned conns = 1;
    unsigned threads = 0;   // 0: one per online CPU
    std::size_t size = 64;  // message size in bytes
    double duration = 10.0; // seconds measured (idle: seconds held)
    uint64_t requests = 0;  // stop after this many measured requests (0: use duration)
    double warmup = 1.0;    // seconds run but not measured
    Mode mode = Mode::rr;
    Format format = Format::human;
    std::vector<unsigned> steps{1, 10, 100, 250, 500, 1000}; // sweep: concurrency levels
    unsigned rounds = 20;                                    // sweep: bursts per step
    std::string label;   // free text copied into CSV/JSON (e.g. the server's name)
    bool header = true;  // CSV: print the header line
    bool framed = false; // rr, crr: a 4-byte big-endian length before each message
    bool help = false;
};

// Throws kecho::UsageError (an invalid_argument) naming the bad option.
Options parse_options(std::span<const char* const> args);
std::string usage();
std::string to_string(Mode m);
std::string to_string(Format f);

} // namespace kecho::bench
