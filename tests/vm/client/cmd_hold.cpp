// hold --conns N [--seconds S] [--stall-every K]: open N connections and
// prove each is served (a ping echoed), print "hold: N/N established", then
// wait up to S seconds for the server to end them (e.g. rmmod) and report
// how many saw EOF or a reset and how long it took. With --stall-every K,
// every K-th connection also writes until blocked and never reads again.
#include "commands.h"
#include "epoll.h"
#include "net.h"
#include "options.h"
#include "payload.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <sys/socket.h>
#include <vector>

namespace kecho::testclient {

namespace {

constexpr std::string_view kPing = "ping";

struct Conn {
    UniqueFd fd;
    std::size_t sent = 0;
    std::size_t received = 0;
    bool established = false;
    bool closed = false;
};

void fill_until_blocked(int fd) {
    const auto chunk = random_payload(65536, fresh_seed());
    while (::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL) > 0) {
    }
}

// Phase 1: returns how many connections echoed their ping.
std::size_t establish(Epoll& poller, std::vector<Conn>& conns, std::chrono::seconds timeout) {
    std::size_t established = 0;
    std::size_t failed = 0;
    auto last_progress = Clock::now();
    while (established + failed < conns.size() && Clock::now() - last_progress < timeout) {
        for (const auto& ev : poller.wait(500, 1024)) {
            Conn& c = conns[ev.data.u64];
            if (c.established || c.closed)
                continue;
            if (has(ev.events, EPOLLOUT) && c.sent < kPing.size()) {
                const ssize_t n =
                    ::send(c.fd.get(), kPing.data() + c.sent, kPing.size() - c.sent, MSG_NOSIGNAL);
                if (n > 0)
                    c.sent += static_cast<std::size_t>(n);
                if (c.sent == kPing.size())
                    poller.modify(c.fd.get(), EPOLLIN, ev.data.u64);
            }
            if (has(ev.events, EPOLLIN)) {
                std::array<char, 16> buf{};
                const ssize_t n = ::recv(c.fd.get(), buf.data(), buf.size(), 0);
                if (n > 0)
                    c.received += static_cast<std::size_t>(n);
                if (c.received >= kPing.size()) {
                    c.established = true;
                    ++established;
                    last_progress = Clock::now();
                    poller.remove(c.fd.get());
                }
            }
            if (!c.established && has(ev.events, EPOLLERR | EPOLLHUP)) {
                c.closed = true;
                ++failed;
                poller.remove(c.fd.get());
            }
        }
    }
    return established;
}

} // namespace

int cmd_hold(const Argv& argv) {
    const Args args(argv, net_options({"conns", "seconds", "stall-every"}));
    const Endpoint ep = endpoint_from(args);
    const std::size_t nconns = args.num("conns", 1000);
    const auto wait_limit = std::chrono::seconds(args.num("seconds", 60));
    const std::size_t stall_every = args.num("stall-every", 0);

    std::vector<Conn> conns(nconns);
    std::size_t established = 0;
    {
        Epoll poller;
        for (std::size_t i = 0; i < nconns; ++i) {
            conns[i].fd = connect_nonblocking(ep);
            poller.add(conns[i].fd.get(), EPOLLOUT, i);
        }
        established = establish(poller, conns, io_timeout(args));
    }
    std::size_t stalled = 0;
    for (std::size_t i = 0; stall_every > 0 && i < nconns; i += stall_every) {
        if (conns[i].established) {
            fill_until_blocked(conns[i].fd.get());
            ++stalled;
        }
    }
    std::printf("hold: %zu/%zu established (%zu stalled, not reading)\n", established, nconns,
                stalled);
    std::fflush(stdout);

    // Phase 2: peer shutdown shows as EPOLLRDHUP, a reset as EPOLLERR/HUP;
    // neither needs reading, so stalled connections stay stalled.
    Epoll poller;
    for (std::size_t i = 0; i < nconns; ++i)
        if (conns[i].established)
            poller.add(conns[i].fd.get(), EPOLLRDHUP, i);
    std::size_t eof = 0;
    std::size_t reset = 0;
    std::optional<Clock::time_point> first;
    Clock::time_point last;
    const auto start = Clock::now();
    while (eof + reset < established && Clock::now() - start < wait_limit) {
        for (const auto& ev : poller.wait(200, 1024)) {
            Conn& c = conns[ev.data.u64];
            if (c.closed)
                continue;
            c.closed = true;
            int err = 0;
            socklen_t len = sizeof(err);
            ::getsockopt(c.fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
            if (err != 0 || has(ev.events, EPOLLERR))
                ++reset;
            else
                ++eof;
            last = Clock::now();
            if (!first)
                first = last;
            poller.remove(c.fd.get());
        }
    }
    const double spread = first ? std::chrono::duration<double>(last - *first).count() : 0.0;
    const std::size_t ended = eof + reset;
    const bool ok = established == nconns && ended == established;
    std::printf("hold: %s%zu/%zu connections ended by the server (EOF %zu, reset %zu); "
                "first to last %.2f s\n",
                ok ? "" : "FAIL: ", ended, established, eof, reset, spread);
    return ok ? 0 : 1;
}

} // namespace kecho::testclient
