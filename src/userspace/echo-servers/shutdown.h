// Clean shutdown on SIGINT/SIGTERM: the signals are blocked in every thread,
// the main thread waits for one and then wakes the workers through an
// eventfd they all watch. SIGPIPE is ignored.
#pragma once

#include "unique_fd.h"

namespace kecho {

class ShutdownSignal {
  public:
    // Blocks SIGINT/SIGTERM for this thread and every thread it starts after.
    ShutdownSignal();
    // The eventfd that becomes readable on shutdown.
    [[nodiscard]] int fd() const noexcept { return event_.get(); }
    // Wait for SIGINT/SIGTERM; returns the signal number.
    static int wait();
    void trigger() const noexcept;

  private:
    UniqueFd event_;
};

} // namespace kecho
