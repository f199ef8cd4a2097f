// sweep: the original kecho experiment. For each concurrency level N, open N
// connections, then in every round release all of them together (a barrier
// across the client threads) and time each one's echo from the release.
#include "connect_all.h"
#include "modes.h"
#include "progress.h"

#include <atomic>
#include <barrier>
#include <thread>

namespace kecho::bench {

std::vector<Result> run_sweep(const Options& o, const Target& t) {
    const unsigned nt = thread_count(o);
    std::vector<char> msg(o.size);
    for (std::size_t i = 0; i < msg.size(); ++i)
        msg[i] = pattern_at(i);
    std::vector<Result> results;
    for (unsigned level : o.steps) {
        std::vector<EchoSet> st(nt);
        std::vector<Counters> live(nt);
        std::barrier sync(static_cast<std::ptrdiff_t>(nt));
        std::vector<uint64_t> release(o.rounds + 1);
        const uint64_t start = now_ns();
        std::atomic<bool> finished{false};
        {
            std::vector<std::jthread> threads;
            for (unsigned ti = 0; ti < nt; ++ti)
                threads.emplace_back([&, ti] {
                    EchoSet& me = st[ti];
                    me.conns = connect_all(t, share_of(level, ti, nt), 30.0, me.part.failures);
                    live[ti].failures.fetch_add(me.part.failures);
                    // Round 0 warms up and is not recorded.
                    for (unsigned r = 0; r <= o.rounds; ++r) {
                        sync.arrive_and_wait();
                        if (ti == 0)
                            release[r] = now_ns();
                        sync.arrive_and_wait();
                        echo_all(me, msg, release[r], r > 0, live[ti]);
                    }
                    sync.arrive_and_wait();
                    if (ti == 0)
                        finished = true;
                });
            Progress progress("sweep " + std::to_string(level));
            while (!finished.load()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
                progress.update(live, static_cast<double>(now_ns() - start) / 1e9);
            }
            progress.done();
        }
        Result r;
        r.mode = "sweep";
        r.label = o.label;
        r.conns = level;
        r.threads = nt;
        r.size = o.size;
        r.seconds = static_cast<double>(now_ns() - release[0]) / 1e9;
        for (const auto& s : st) {
            r.requests += s.part.requests;
            r.bytes += s.part.bytes;
            r.failures += s.part.failures;
            r.errors += s.part.errors;
            r.latency.merge(s.part.latency);
        }
        results.push_back(std::move(r));
    }
    return results;
}

} // namespace kecho::bench
