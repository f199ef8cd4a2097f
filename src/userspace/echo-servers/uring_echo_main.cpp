// uring-echo-server: the io_uring peer for kecho. One ring per thread per
// CPU, each with its own SO_REUSEPORT listener.
#include "listener.h"
#include "server_options.h"
#include "shutdown.h"
#include "uring_worker.h"
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
        std::cerr << "uring-echo-server: " << e.what() << "\n"
                  << server_usage("uring-echo-server", true);
        return 2;
    }
    if (opts.help) {
        std::cout << server_usage("uring-echo-server", true);
        return 0;
    }
    try {
        raise_fd_limit();
        ShutdownSignal stop;
        const UringMode mode = opts.single_shot ? UringMode::single_shot : probe_uring_mode();
        const unsigned n =
            opts.threads != 0U ? opts.threads : std::max(1U, std::thread::hardware_concurrency());
        std::vector<UniqueFd> listeners;
        for (unsigned i = 0; i < n; ++i)
            listeners.push_back(make_listener(opts.bind, opts.port, opts.backlog));
        std::cerr << "uring-echo-server: " << n << " rings on port " << opts.port
                  << ", mode: " << to_string(mode) << std::endl;
        run_workers(std::move(listeners), stop, [mode](UniqueFd l, int stop_fd) {
            run_uring_worker(std::move(l), stop_fd, mode);
        });
    } catch (const std::exception& e) {
        std::cerr << "uring-echo-server: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
