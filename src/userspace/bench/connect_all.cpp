#include "connect_all.h"

#include <algorithm>
#include <array>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>

namespace kecho::bench {

std::vector<UniqueFd> connect_all(const Target& t, unsigned n, double timeout_s,
                                  uint64_t& failures) {
    std::vector<UniqueFd> done;
    UniqueFd ep(::epoll_create1(EPOLL_CLOEXEC));
    std::vector<UniqueFd> pending(n);
    unsigned waiting = 0;
    for (unsigned i = 0; i < n; ++i) {
        pending[i] = start_connect(t);
        if (!pending[i]) {
            ++failures;
            continue;
        }
        epoll_event e{};
        e.events = EPOLLOUT;
        e.data.u32 = i;
        if (!ep || ::epoll_ctl(ep.get(), EPOLL_CTL_ADD, pending[i].get(), &e) < 0) {
            pending[i].reset();
            ++failures;
            continue;
        }
        ++waiting;
    }
    const uint64_t deadline = now_ns() + static_cast<uint64_t>(timeout_s * 1e9);
    std::array<epoll_event, 256> ev{};
    while (waiting > 0 && now_ns() < deadline) {
        const int k = ::epoll_wait(ep.get(), ev.data(), static_cast<int>(ev.size()), 100);
        for (int j = 0; j < k; ++j) {
            UniqueFd& fd = pending[ev[j].data.u32];
            ::epoll_ctl(ep.get(), EPOLL_CTL_DEL, fd.get(), nullptr);
            --waiting;
            if (connect_result(fd.get()) == 0) {
                set_nodelay(fd.get());
                done.push_back(std::move(fd));
            } else {
                fd.reset();
                ++failures;
            }
        }
    }
    failures += waiting; // timed out
    return done;
}

bool echo_once(int fd, const std::vector<char>& msg, int timeout_ms) {
    std::size_t sent = 0;
    std::size_t got = 0;
    std::vector<char> buf(msg.size());
    const uint64_t deadline = now_ns() + static_cast<uint64_t>(timeout_ms) * 1'000'000;
    while (got < msg.size()) {
        if (sent < msg.size()) {
            const ssize_t w =
                ::send(fd, msg.data() + sent, msg.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (w > 0)
                sent += static_cast<std::size_t>(w);
            else if (w < 0 && errno != EAGAIN && errno != EINTR)
                return false;
        }
        const ssize_t r = ::recv(fd, buf.data() + got, buf.size() - got, MSG_DONTWAIT);
        if (r > 0) {
            got += static_cast<std::size_t>(r);
            continue;
        }
        if (r == 0 || (errno != EAGAIN && errno != EINTR))
            return false;
        const uint64_t now = now_ns();
        if (now >= deadline)
            return false;
        pollfd p{fd, static_cast<short>(POLLIN | (sent < msg.size() ? POLLOUT : 0)), 0};
        ::poll(&p, 1, static_cast<int>(std::max<uint64_t>(1, (deadline - now) / 1'000'000)));
    }
    return std::equal(buf.begin(), buf.end(), msg.begin());
}

} // namespace kecho::bench
