#include "progress.h"

#include <cstdio>
#include <unistd.h>

namespace kecho::bench {

Progress::Progress(std::string what) : what_(std::move(what)), tty_(::isatty(STDERR_FILENO) == 1) {}

void Progress::update(const std::vector<Counters>& counters, double elapsed,
                      const std::string& extra) {
    if (!tty_)
        return;
    uint64_t req = 0;
    uint64_t fail = 0;
    uint64_t err = 0;
    for (const auto& c : counters) {
        req += c.requests.load(std::memory_order_relaxed);
        fail += c.failures.load(std::memory_order_relaxed);
        err += c.errors.load(std::memory_order_relaxed);
    }
    const double dt = elapsed - last_elapsed_;
    const double rate = dt > 0 ? static_cast<double>(req - last_requests_) / dt : 0.0;
    last_requests_ = req;
    last_elapsed_ = elapsed;
    std::fprintf(stderr, "\r\033[K%s %6.1f s  %llu req  %.0f req/s  failures %llu  errors %llu%s",
                 what_.c_str(), elapsed, static_cast<unsigned long long>(req), rate,
                 static_cast<unsigned long long>(fail), static_cast<unsigned long long>(err),
                 extra.c_str());
    std::fflush(stderr);
}

void Progress::done() const {
    if (tty_)
        std::fprintf(stderr, "\r\033[K");
}

} // namespace kecho::bench
