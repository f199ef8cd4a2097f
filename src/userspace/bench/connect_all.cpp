#include "connect_all.h"

#include <algorithm>
#include <array>
#include <cerrno>
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

void echo_all(EchoSet& st, const std::vector<char>& msg, uint64_t t0, bool record, Counters& live,
              int timeout_ms) {
    const std::size_t n = st.conns.size();
    if (n == 0)
        return;
    UniqueFd ep(::epoll_create1(EPOLL_CLOEXEC));
    std::vector<std::size_t> got(n, 0);
    std::vector<char> buf(msg.size());
    std::size_t waiting = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const int fd = st.conns[i].get();
        if (fd < 0)
            continue;
        // Small messages fit the socket buffer: one send each.
        if (::send(fd, msg.data(), msg.size(), MSG_NOSIGNAL | MSG_DONTWAIT) !=
            static_cast<ssize_t>(msg.size())) {
            st.conns[i].reset();
            if (record) {
                ++st.part.errors;
                live.errors.fetch_add(1, std::memory_order_relaxed);
            }
            continue;
        }
        epoll_event e{};
        e.events = EPOLLIN;
        e.data.u64 = i;
        ::epoll_ctl(ep.get(), EPOLL_CTL_ADD, fd, &e);
        ++waiting;
    }
    const uint64_t deadline = t0 + static_cast<uint64_t>(timeout_ms) * 1'000'000;
    std::array<epoll_event, 256> ev{};
    while (waiting > 0 && now_ns() < deadline) {
        const int k = ::epoll_wait(ep.get(), ev.data(), static_cast<int>(ev.size()), 100);
        for (int j = 0; j < k; ++j) {
            const std::size_t i = ev[j].data.u64;
            const int fd = st.conns[i].get();
            const ssize_t r = ::recv(fd, buf.data() + got[i], msg.size() - got[i], MSG_DONTWAIT);
            if (r < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            bool bad = r <= 0;
            if (!bad) {
                got[i] += static_cast<std::size_t>(r);
                if (got[i] < msg.size())
                    continue;
                bad = !std::equal(buf.begin(), buf.end(), msg.begin());
            }
            --waiting;
            ::epoll_ctl(ep.get(), EPOLL_CTL_DEL, fd, nullptr);
            if (bad) {
                st.conns[i].reset();
                if (record) {
                    ++st.part.errors;
                    live.errors.fetch_add(1, std::memory_order_relaxed);
                }
            } else if (record) {
                st.part.latency.record(now_ns() - t0);
                ++st.part.requests;
                st.part.bytes += msg.size();
                live.requests.fetch_add(1, std::memory_order_relaxed);
            }
        }
    }
    if (record && waiting > 0) {
        st.part.errors += waiting; // no echo within the round's time limit
        live.errors.fetch_add(waiting, std::memory_order_relaxed);
    }
    for (std::size_t i = 0; i < n && waiting > 0; ++i)
        if (st.conns[i] &&
            got[i] < msg.size()) // drop it: its late echo would confuse the next round
            st.conns[i].reset();
}

} // namespace kecho::bench
