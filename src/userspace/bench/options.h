// bench's command line.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace kecho::bench {

enum class Mode { crr, rr, stream, sweep, idle, fanout };
enum class Format { human, csv, json };

// fanout: every body starts with sender (4), flags (4), sequence (8) and
// send time (8, CLOCK_MONOTONIC ns).
constexpr std::size_t kFanoutMinSize = 24;
// stream: bytes per write unless --size says otherwise.
constexpr std::size_t kStreamDefaultSize = std::size_t{1} << 20;

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
    std::string label;     // free text copied into CSV/JSON (e.g. the server's name)
    bool header = true;    // CSV: print the header line
    bool framed = false;   // rr, crr: a 4-byte big-endian length before each message
    bool blocking = false; // rr, crr: a blocking thread per connection, not epoll loops
    unsigned sources = 0;  // > 0: connect from 127.0.0.1 .. 127.0.0.<sources> in turn
    // fanout: a chat room (kecho mode=chat, user-echo-server --mode chat).
    unsigned senders = 1;
    unsigned receivers = 10;
    double rate = 0;              // messages per second, all senders together (0: window only)
    unsigned window = 4;          // messages per sender not yet delivered everywhere, at most
    unsigned server_pid = 0;      // the server process: its CPU and VmRSS are reported
    bool server_kworkers = false; // server CPU = every kworker thread's (kecho)
    bool help = false;
};

// Throws kecho::UsageError (an invalid_argument) naming the bad option.
Options parse_options(std::span<const char* const> args);
std::string usage();
std::string to_string(Mode m);
std::string to_string(Format f);

} // namespace kecho::bench
