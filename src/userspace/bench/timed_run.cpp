#include "timed_run.h"

#include "net.h"

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

uint64_t run_threads(const std::vector<std::function<void()>>& bodies, std::atomic<bool>& stop,
                     const Window& w, const std::vector<Counters>& live, const std::string& what) {
    std::vector<std::jthread> threads;
    threads.reserve(bodies.size());
    for (const auto& body : bodies)
        // cppcheck-suppress useStlAlgorithm
        threads.emplace_back(body);
    Progress progress(what);
    while (!stop.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const uint64_t now = now_ns();
        if (now >= w.measure_until)
            stop = true;
        progress.update(live, static_cast<double>(now - w.start) / 1e9,
                        now < w.measure_from ? "  (warm-up)" : "");
    }
    const uint64_t end = now_ns();
    progress.done();
    threads.clear(); // join
    return end;
}

Result merge_parts(const Options& o, std::string mode, unsigned threads, const Window& w,
                   uint64_t end, const std::vector<const Result*>& parts) {
    Result r;
    r.mode = std::move(mode);
    r.label = o.label;
    r.conns = o.conns;
    r.threads = threads;
    r.size = o.size;
    r.seconds = end > w.measure_from ? static_cast<double>(end - w.measure_from) / 1e9 : 0.0;
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
