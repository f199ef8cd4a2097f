// One user-echo-server worker: it owns one SO_REUSEPORT listener and runs a
// level-triggered epoll loop echoing every connection it accepts.
#pragma once

#include "unique_fd.h"

namespace kecho {

// Runs until `stop_fd` becomes readable. Errors on a client close that client
// only; errors setting the worker up are thrown.
void run_epoll_worker(UniqueFd listener, int stop_fd);

} // namespace kecho
