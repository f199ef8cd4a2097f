#include "server_main.h"

#include "fd_limit.h"
#include "listener.h"
#include "shutdown.h"

#include <algorithm>
#include <exception>
#include <iostream>
#include <thread>
#include <vector>

namespace kecho {

int server_main(const ServerKind& kind, std::span<const char* const> args) {
    const std::string name(kind.name);
    ServerOptions opts;
    try {
        opts = parse_server_options(args);
    } catch (const std::exception& e) {
        std::cerr << name << ": " << e.what() << "\n" << server_usage(name, kind.uring);
        return 2;
    }
    if (opts.help) {
        std::cout << server_usage(name, kind.uring);
        return 0;
    }
    if (opts.chat && kind.uring) {
        std::cerr << name << ": --mode chat is user-echo-server's only\n";
        return 2;
    }
    try {
        raise_fd_limit();
        ShutdownSignal stop;
        std::string what;
        const unsigned n =
            opts.threads != 0U ? opts.threads : std::max(1U, std::thread::hardware_concurrency());
        opts.threads = n; // the workers see how many they are
        const WorkerFn worker = kind.make_worker(opts, what);
        std::vector<UniqueFd> listeners; // all bound first: a bad address fails at start-up
        for (unsigned i = 0; i < n; ++i)
            listeners.push_back(make_listener(opts.bind, opts.port, opts.backlog));
        std::cerr << name << ": " << n << " " << what << " on port " << opts.port << std::endl;
        run_workers(std::move(listeners), stop, worker);
    } catch (const std::exception& e) {
        std::cerr << name << ": " << e.what() << "\n";
        return 1;
    }
    return 0;
}

} // namespace kecho
