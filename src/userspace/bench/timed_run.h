// What crr, rr and stream share, whichever client drives them: the
// measured window, the threads with the progress line, and the merged
// Result.
#pragma once

#include "net.h"
#include "options.h"
#include "proc_stats.h"
#include "progress.h"
#include "result.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace kecho::bench {

struct Window {
    uint64_t start = 0;         // ns
    uint64_t measure_from = 0;  // after the warm-up
    uint64_t measure_until = 0; // UINT64_MAX with --requests
};

Window make_window(const Options& o);

// What a run's threads share.
struct RunState {
    const Options& o;
    const Target& t;
    Window w;
    std::atomic<uint64_t> measured{0}; // requests measured, for --requests
    std::atomic<bool> stop{false};
};

// When the threads stopped (ns), and the CPU spent from the window's start
// to then.
struct RunEnd {
    uint64_t at = 0;
    CpuUse cpu;
};

// Run every body on its own thread and draw the progress line from @live
// until @stop is set (or the window ends, which sets it); join them.
RunEnd run_threads(const Options& o, const std::vector<std::function<void()>>& bodies,
                   std::atomic<bool>& stop, const Window& w, const std::vector<Counters>& live,
                   const std::string& what);

// A run's Result: the header fields, the measured seconds and CPU, and
// @parts (one per thread or connection) summed.
Result merge_parts(const Options& o, std::string mode, unsigned threads, const Window& w,
                   const RunEnd& end, const std::vector<const Result*>& parts);

} // namespace kecho::bench
