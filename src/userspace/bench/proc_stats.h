// What bench reads from /proc about the guest it runs in: the CPU time of
// the whole guest, of the client itself and of the server, over a measured
// window; and single values of /proc/net/kecho or /proc/meminfo.
#pragma once

#include "options.h"

#include <cstdint>
#include <string>

namespace kecho::bench {

// A file's whole text ("" if it cannot be read).
std::string slurp(const std::string& path);

// Reads "key value" lines (/proc/net/kecho) or "Key: value kB" (/proc/meminfo):
// the value of `key`, or -1.
int64_t proc_value(const std::string& text, const std::string& key);

// utime + stime (clock ticks) of a /proc/<pid>/stat text, and its comm;
// -1 if it does not parse.
int64_t stat_ticks(const std::string& stat, std::string* comm = nullptr);

// CPU counters at one moment.
struct CpuSample {
    int64_t guest_busy = 0; // USER_HZ ticks: user nice system irq softirq steal
    int64_t softirq = 0;
    double client_s = 0;       // this process (getrusage)
    int64_t server_ticks = -1; // --server-pid's process, or every kworker thread
};

// Now, with the server that o names (--server-pid, --server-kworkers).
CpuSample sample_cpu(const Options& o);

// CPU seconds spent between two samples. The client's includes the softirq
// work that ran in its system calls: against kecho, whose echo runs in the
// socket callback, that is kecho's echo too. server_s is -1 when no server
// was named.
struct CpuUse {
    double guest_s = 0;
    double softirq_s = 0;
    double client_s = -1;
    double server_s = -1;
};
CpuUse cpu_used(const CpuSample& from, const CpuSample& to);

} // namespace kecho::bench
