// One uring-echo-server worker: its own io_uring and SO_REUSEPORT listener.
#pragma once

#include "unique_fd.h"

#include <string>

namespace kecho {

enum class UringMode {
    multishot,  // multishot accept + multishot recv into a provided buffer ring
    single_shot // one accept / one recv per SQE into a per-connection buffer
};

// Probe the running kernel: multishot when buffer rings, multishot accept
// and multishot recv all work on a loopback connection, else single_shot.
UringMode probe_uring_mode();
std::string to_string(UringMode m);

// Runs until `stop_fd` becomes readable.
void run_uring_worker(UniqueFd listener, int stop_fd, UringMode mode);

} // namespace kecho
