// user-echo-server: the userspace baseline for kecho. One epoll thread per
// CPU, each with its own SO_REUSEPORT listener; exits cleanly on SIGINT/SIGTERM.
#include "epoll_worker.h"
#include "server_main.h"

#include <cstddef>

int main(int argc, char** argv) {
    using namespace kecho;
    const ServerKind kind{"user-echo-server", false, [](const ServerOptions&, std::string& what) {
                              what = "epoll threads";
                              return WorkerFn(run_epoll_worker);
                          }};
    return server_main(kind, {argv + 1, static_cast<std::size_t>(argc - 1)});
}
