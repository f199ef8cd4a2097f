#include "shutdown.h"

#include "error.h"

#include <csignal>
#include <cstdint>
#include <sys/eventfd.h>

namespace kecho {

namespace {

sigset_t stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

} // namespace

ShutdownSignal::ShutdownSignal() : event_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (!event_)
        throw_errno("eventfd");
    std::signal(SIGPIPE, SIG_IGN);
    sigset_t set = stop_signals();
    if (int err = pthread_sigmask(SIG_BLOCK, &set, nullptr); err != 0)
        throw_errno(err, "blocking SIGINT/SIGTERM");
}

int ShutdownSignal::wait() {
    sigset_t set = stop_signals();
    int sig = 0;
    while (sigwait(&set, &sig) != 0) {
    }
    return sig;
}

void ShutdownSignal::trigger() const noexcept {
    uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(event_.get(), &one, sizeof(one));
}

} // namespace kecho
