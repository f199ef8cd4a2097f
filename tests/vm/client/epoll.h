// Minimal RAII epoll set for the multi-connection subcommands.
#pragma once

#include "error.h"
#include "unique_fd.h"

#include <cstdint>
#include <sys/epoll.h>
#include <vector>

namespace kecho::testclient {

// True if any of the bits in `mask` is set in `events`.
inline bool has(std::uint32_t events, std::uint32_t mask) {
    return (events & mask) != 0;
}

class Epoll {
  public:
    Epoll() : fd_(::epoll_create1(EPOLL_CLOEXEC)) {
        if (!fd_)
            throw_errno("epoll_create1");
    }

    void add(int fd, std::uint32_t events, std::uint64_t tag) {
        ctl(EPOLL_CTL_ADD, fd, events, tag);
    }
    void modify(int fd, std::uint32_t events, std::uint64_t tag) {
        ctl(EPOLL_CTL_MOD, fd, events, tag);
    }
    void remove(int fd) { ctl(EPOLL_CTL_DEL, fd, 0, 0); }

    // Waits up to timeout_ms; returns the ready events (empty on timeout).
    std::vector<epoll_event> wait(int timeout_ms, int max_events = 256) {
        std::vector<epoll_event> events(static_cast<std::size_t>(max_events));
        int n = 0;
        do {
            n = ::epoll_wait(fd_.get(), events.data(), max_events, timeout_ms);
        } while (n < 0 && errno == EINTR);
        if (n < 0)
            throw_errno("epoll_wait");
        events.resize(static_cast<std::size_t>(n));
        return events;
    }

  private:
    void ctl(int op, int fd, std::uint32_t events, std::uint64_t tag) {
        epoll_event ev{};
        ev.events = events;
        ev.data.u64 = tag;
        if (::epoll_ctl(fd_.get(), op, fd, &ev) != 0)
            throw_errno("epoll_ctl");
    }

    UniqueFd fd_;
};

} // namespace kecho::testclient
