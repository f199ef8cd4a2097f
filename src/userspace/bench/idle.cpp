// idle: open --conns connections, announce it on stderr ("idle: N open"),
// hold them for --duration, then check every one of them still echoes.
#include "connect_all.h"
#include "modes.h"

#include <cstdio>
#include <thread>

namespace kecho::bench {

// 10,000 echoes at once take seconds under emulation: be patient.
constexpr int kCheckTimeoutMs = 120000;

Result run_idle(const Options& o, const Target& t) {
    const unsigned nt = thread_count(o);
    std::vector<EchoSet> sets(nt);
    std::vector<Counters> live(nt);
    {
        std::vector<std::jthread> threads;
        for (unsigned i = 0; i < nt; ++i)
            threads.emplace_back([&, i] {
                sets[i].conns =
                    connect_all(t, share_of(o.conns, i, nt), 120.0, sets[i].part.failures);
            });
    }
    std::size_t open = 0;
    uint64_t failures = 0;
    for (const auto& s : sets) {
        open += s.conns.size();
        failures += s.part.failures;
    }
    std::fprintf(stderr, "idle: %zu open, %llu failed\n", open,
                 static_cast<unsigned long long>(failures));
    std::fflush(stderr);
    const uint64_t start = now_ns();
    std::this_thread::sleep_for(std::chrono::duration<double>(o.duration));
    std::vector<char> msg(o.size);
    for (std::size_t i = 0; i < msg.size(); ++i)
        msg[i] = pattern_at(i);
    // Every held connection must still be alive and echo.
    {
        std::vector<std::jthread> threads;
        for (unsigned i = 0; i < nt; ++i)
            threads.emplace_back(
                [&, i] { echo_all(sets[i], msg, now_ns(), true, live[i], kCheckTimeoutMs); });
    }
    Result r;
    r.mode = "idle";
    r.label = o.label;
    r.conns = o.conns;
    r.threads = nt;
    r.size = o.size;
    r.seconds = static_cast<double>(now_ns() - start) / 1e9;
    for (const auto& s : sets) {
        r.requests += s.part.requests;
        r.bytes += s.part.bytes;
        r.failures += s.part.failures;
        r.errors += s.part.errors;
        r.latency.merge(s.part.latency);
    }
    return r;
}

} // namespace kecho::bench
