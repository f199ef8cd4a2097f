// user-echo-server: the userspace baseline for kecho. One epoll thread per
// CPU, each with its own SO_REUSEPORT listener; exits cleanly on SIGINT/SIGTERM.
#include "epoll_worker.h"
#include "listener.h"
#include "server_options.h"
#include "shutdown.h"
#include "worker_pool.h"

#include <algorithm>
#include <exception>
#include <iostream>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
    using namespace kecho;
    ServerOptions opts;
    try {
        opts = parse_server_options({argv + 1, static_cast<std::size_t>(argc - 1)});
    } catch (const std::exception& e) {
        std::cerr << "user-echo-server: " << e.what() << "\n"
                  << server_usage("user-echo-server", false);
        return 2;
    }
    if (opts.help) {
        std::cout << server_usage("user-echo-server", false);
        return 0;
    }
    try {
        raise_fd_limit();
        ShutdownSignal stop;
        const unsigned n =
            opts.threads != 0U ? opts.threads : std::max(1U, std::thread::hardware_concurrency());
        std::vector<UniqueFd> listeners; // all bound first: a bad address fails at start-up
        for (unsigned i = 0; i < n; ++i)
            listeners.push_back(make_listener(opts.bind, opts.port, opts.backlog));
        std::cerr << "user-echo-server: " << n << " epoll threads on port " << opts.port
                  << std::endl;
        run_workers(std::move(listeners), stop, run_epoll_worker);
    } catch (const std::exception& e) {
        std::cerr << "user-echo-server: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
