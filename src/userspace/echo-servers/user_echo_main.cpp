// user-echo-server: the userspace baseline for kecho. One epoll thread per
// CPU, each with its own SO_REUSEPORT listener; exits cleanly on SIGINT/SIGTERM.
// --mode chat makes it the relay kecho's mode=chat is measured against
// (chat_worker.h).
#include "chat_worker.h"
#include "epoll_worker.h"
#include "server_main.h"

#include <cstddef>

int main(int argc, char** argv) {
    using namespace kecho;
    const ServerKind kind{"user-echo-server", false,
                          [](const ServerOptions& opts, std::string& what) {
                              if (opts.chat) {
                                  what = "chat epoll threads";
                                  return make_chat_worker(opts, opts.threads);
                              }
                              what = "epoll threads";
                              return WorkerFn(run_epoll_worker);
                          }};
    return server_main(kind, {argv + 1, static_cast<std::size_t>(argc - 1)});
}
