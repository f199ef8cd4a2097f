// idle: open --conns connections, announce it on stderr ("idle: N open"),
// hold them for --duration, then check every one of them still echoes.
#include "connect_all.h"
#include "modes.h"

#include <cstdio>
#include <thread>

namespace kecho::bench {

Result run_idle(const Options& o, const Target& t) {
    const unsigned nt = thread_count(o);
    std::vector<std::vector<UniqueFd>> conns(nt);
    std::vector<uint64_t> failures(nt, 0);
    {
        std::vector<std::jthread> threads;
        for (unsigned i = 0; i < nt; ++i)
            threads.emplace_back([&, i] {
                conns[i] = connect_all(t, share_of(o.conns, i, nt), 120.0, failures[i]);
            });
    }
    Result r;
    r.mode = "idle";
    r.label = o.label;
    r.conns = o.conns;
    r.threads = nt;
    r.size = o.size;
    std::size_t open = 0;
    for (unsigned i = 0; i < nt; ++i) {
        open += conns[i].size();
        r.failures += failures[i];
    }
    std::fprintf(stderr, "idle: %zu open, %llu failed\n", open,
                 static_cast<unsigned long long>(r.failures));
    std::fflush(stderr);
    const uint64_t start = now_ns();
    std::this_thread::sleep_for(std::chrono::duration<double>(o.duration));
    std::vector<char> msg(o.size);
    for (std::size_t i = 0; i < msg.size(); ++i)
        msg[i] = pattern_at(i);
    // Every held connection must still be alive and echo.
    for (auto& list : conns)
        for (auto& fd : list) {
            const uint64_t t0 = now_ns();
            if (echo_once(fd.get(), msg, 10000)) {
                ++r.requests;
                r.bytes += msg.size();
                r.latency.record(now_ns() - t0);
            } else {
                ++r.errors;
            }
        }
    r.seconds = static_cast<double>(now_ns() - start) / 1e9;
    return r;
}

} // namespace kecho::bench
