// The main() both echo servers share: parse the options, bind one
// SO_REUSEPORT listener per thread, run the workers until SIGINT/SIGTERM.
#pragma once

#include "server_options.h"
#include "worker_pool.h"

#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace kecho {

struct ServerKind {
    std::string_view name; // for messages and usage
    bool uring;            // offers --single-shot
    // Picks the worker once the options are known; sets `what` to what each
    // thread runs, for the start-up line ("epoll threads").
    std::function<WorkerFn(const ServerOptions&, std::string& what)> make_worker;
};

// Exit status: 0 after a clean stop, 1 on a run-time error, 2 on bad options.
int server_main(const ServerKind& kind, std::span<const char* const> args);

} // namespace kecho
