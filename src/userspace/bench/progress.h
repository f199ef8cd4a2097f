// Live counters each worker thread bumps, and the progress line drawn from
// them (only when stderr is a terminal).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace kecho::bench {

struct alignas(64) Counters {
    std::atomic<uint64_t> requests{0};
    std::atomic<uint64_t> failures{0};
    std::atomic<uint64_t> errors{0};
};

class Progress {
  public:
    explicit Progress(std::string what);
    // Redraw the line from the counters (no-op when stderr is not a tty).
    void update(const std::vector<Counters>& counters, double elapsed_s,
                const std::string& extra = "");
    void done() const;

  private:
    std::string what_;
    bool tty_;
    uint64_t last_requests_ = 0;
    double last_elapsed_ = 0;
};

} // namespace kecho::bench
