#include "timed_run.h"

#include "net.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace kecho::bench {

Window make_window(const Options& o) {
    Window w;
    w.start = now_ns();
    w.measure_from = w.start + static_cast<uint64_t>(o.warmup * 1e9);
    w.measure_until =
        o.requests != 0U ? UINT64_MAX : w.measure_from + static_cast<uint64_t>(o.duration * 1e9);
    return w;
}

RunEnd run_threads(const Options& o, const std::vector<std::function<void()>>& bodies,
                   std::atomic<bool>& stop, const Window& w, const std::vector<Counters>& live,
                   const std::string& what) {
    constexpr uint64_t kTickNs = 200'000'000;
    std::vector<std::jthread> threads;
    threads.reserve(bodies.size());
    for (const auto& body : bodies)
        // cppcheck-suppress useStlAlgorithm
        threads.emplace_back(body);
    Progress progress(what);
    // The CPU counters are read when the window opens: the tick that
    // crosses measure_from is cut short to land on it.
    CpuSample from;
    bool sampled = false;
    while (!stop.load()) {
        uint64_t now = now_ns();
        const uint64_t tick =
            sampled || now >= w.measure_from ? kTickNs : std::min(kTickNs, w.measure_from - now);
        std::this_thread::sleep_for(std::chrono::nanoseconds(tick));
        now = now_ns();
        if (!sampled && now >= w.measure_from) {
            from = sample_cpu(o);
            sampled = true;
        }
        if (now >= w.measure_until)
            stop = true;
        progress.update(live, static_cast<double>(now - w.start) / 1e9,
                        now < w.measure_from ? "  (warm-up)" : "");
    }
    RunEnd end;
    end.at = now_ns();
    if (sampled)
        end.cpu = cpu_used(from, sample_cpu(o));
    progress.done();
    threads.clear(); // join
    return end;
}

Result merge_parts(const Options& o, std::string mode, unsigned threads, const Window& w,
                   const RunEnd& end, const std::vector<const Result*>& parts) {
    Result r;
    r.mode = std::move(mode);
    r.label = o.label;
    r.conns = o.conns;
    r.threads = threads;
    r.size = o.size;
    r.seconds = end.at > w.measure_from ? static_cast<double>(end.at - w.measure_from) / 1e9 : 0.0;
    if (end.cpu.client_s >= 0) {
        r.guest_cpu_s = end.cpu.guest_s;
        r.client_cpu_s = end.cpu.client_s;
        r.server_cpu_s = end.cpu.server_s;
    }
    for (const Result* x : parts) {
        r.requests += x->requests;
        r.bytes += x->bytes;
        r.failures += x->failures;
        r.errors += x->errors;
        r.latency.merge(x->latency);
    }
    return r;
}

} // namespace kecho::bench
