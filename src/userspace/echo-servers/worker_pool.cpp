#include "worker_pool.h"

#include <csignal>
#include <exception>
#include <mutex>
#include <thread>

namespace kecho {

void run_workers(std::vector<UniqueFd> listeners, const ShutdownSignal& stop, const WorkerFn& fn) {
    std::exception_ptr failure;
    std::mutex lock;
    {
        std::vector<std::jthread> workers;
        workers.reserve(listeners.size());
        for (auto& l : listeners)
            // cppcheck-suppress useStlAlgorithm
            workers.emplace_back([&, l = std::move(l)]() mutable {
                try {
                    fn(std::move(l), stop.fd());
                } catch (...) {
                    std::lock_guard g(lock);
                    if (!failure)
                        failure = std::current_exception();
                    ::kill(::getpid(), SIGTERM); // wakes ShutdownSignal::wait() below
                }
            });
        ShutdownSignal::wait();
        stop.trigger();
    } // joins
    if (failure)
        std::rethrow_exception(failure);
}

} // namespace kecho
