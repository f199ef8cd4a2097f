// uring-echo-server: the io_uring peer for kecho. One ring per thread per
// CPU, each with its own SO_REUSEPORT listener.
#include "server_main.h"
#include "uring_worker.h"

#include <cstddef>
#include <utility>

int main(int argc, char** argv) {
    using namespace kecho;
    const ServerKind kind{
        "uring-echo-server", true, [](const ServerOptions& opts, std::string& what) {
            const UringMode mode = opts.single_shot ? UringMode::single_shot : probe_uring_mode();
            what = "rings (" + to_string(mode) + ")";
            return WorkerFn([mode](UniqueFd listener, int stop_fd) {
                run_uring_worker(std::move(listener), stop_fd, mode);
            });
        }};
    return server_main(kind, {argv + 1, static_cast<std::size_t>(argc - 1)});
}
