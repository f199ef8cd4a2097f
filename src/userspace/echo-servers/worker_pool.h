// Start one worker per listener, wait for SIGINT/SIGTERM (or a worker's
// failure), stop them all and rethrow the first failure.
#pragma once

#include "shutdown.h"
#include "unique_fd.h"

#include <functional>
#include <vector>

namespace kecho {

using WorkerFn = std::function<void(UniqueFd listener, int stop_fd)>;

void run_workers(std::vector<UniqueFd> listeners, const ShutdownSignal& stop, const WorkerFn& fn);

} // namespace kecho
