// concurrent --conns N --size N: N connections open at once (non-blocking,
// one epoll loop), each echoes its own distinct message; all must match.
// With --min-active M, /proc/net/kecho must show at least M active
// connections while all N are still open.
#include "commands.h"
#include "epoll.h"
#include "net.h"
#include "options.h"
#include "payload.h"
#include "proc_stats.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/socket.h>
#include <vector>

namespace kecho::testclient {

namespace {

struct Conn {
    UniqueFd fd;
    std::vector<std::uint8_t> msg;
    std::size_t sent = 0;
    std::size_t received = 0;
    bool done = false;
    std::string error;
};

// Returns true when this event made progress.
bool service(Epoll& ep, Conn& c, std::uint64_t tag, std::uint32_t events) {
    bool progress = false;
    if (has(events, EPOLLERR | EPOLLHUP) && !has(events, EPOLLIN)) {
        int err = 0;
        socklen_t len = sizeof(err);
        ::getsockopt(c.fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
        c.error = std::string("socket error: ") + std::strerror(err != 0 ? err : EPIPE) +
                  " after " + std::to_string(c.received) + " bytes back";
        return true;
    }
    if (has(events, EPOLLOUT) && c.sent < c.msg.size()) {
        const ssize_t n =
            ::send(c.fd.get(), c.msg.data() + c.sent, c.msg.size() - c.sent, MSG_NOSIGNAL);
        if (n > 0) {
            c.sent += static_cast<std::size_t>(n);
            progress = true;
            if (c.sent == c.msg.size())
                ep.modify(c.fd.get(), EPOLLIN, tag);
        } else if (n < 0 && errno != EAGAIN) {
            c.error = std::string("send: ") + std::strerror(errno);
            return true;
        }
    }
    if (has(events, EPOLLIN)) {
        std::array<std::uint8_t, 16384> buf{};
        const ssize_t n = ::recv(c.fd.get(), buf.data(), buf.size(), 0);
        if (n == 0) {
            c.error = "EOF after " + std::to_string(c.received) + " of " +
                      std::to_string(c.msg.size()) + " bytes";
            return true;
        }
        if (n < 0) {
            if (errno != EAGAIN)
                c.error = std::string("recv: ") + std::strerror(errno);
            return errno != EAGAIN;
        }
        const auto got = std::span<const std::uint8_t>(buf.data(), static_cast<std::size_t>(n));
        const auto want = std::span<const std::uint8_t>(c.msg).subspan(c.received);
        if (got.size() > want.size()) {
            c.error = "received " + std::to_string(c.received + got.size()) +
                      " bytes, more than the " + std::to_string(c.msg.size()) + " sent";
            return true;
        }
        if (auto off = first_mismatch(got, want)) {
            c.error = describe_mismatch(c.received + *off, got[*off], want[*off]);
            return true;
        }
        c.received += got.size();
        progress = true;
        if (c.received == c.msg.size()) {
            c.done = true;
            ep.remove(c.fd.get());
        }
    }
    return progress;
}

} // namespace

int cmd_concurrent(const Argv& argv) {
    const Args args(argv, net_options({"conns", "size", "min-active"}));
    const Endpoint ep = endpoint_from(args);
    const std::size_t nconns = args.num("conns", 100);
    const std::size_t size = std::max<std::size_t>(args.num("size", 1024), 16);
    const auto timeout = io_timeout(args);
    const std::uint64_t seed = fresh_seed();

    Epoll poller;
    std::vector<Conn> conns(nconns);
    const auto start = Clock::now();
    for (std::size_t i = 0; i < nconns; ++i) {
        Conn& c = conns[i];
        c.msg = random_payload(size, seed + i);
        // Distinct per connection: it starts with its own index.
        const std::string tag = "conn " + std::to_string(i) + ":";
        std::copy(tag.begin(), tag.end(), c.msg.begin());
        c.fd = connect_nonblocking(ep);
        poller.add(c.fd.get(), EPOLLOUT | EPOLLIN, i);
    }

    std::size_t finished = 0;
    auto last_progress = Clock::now();
    while (finished < nconns) {
        const auto events = poller.wait(500, 1024);
        for (const auto& ev : events) {
            Conn& c = conns[ev.data.u64];
            if (c.done || !c.error.empty())
                continue;
            if (service(poller, c, ev.data.u64, ev.events))
                last_progress = Clock::now();
            if (!c.error.empty()) {
                poller.remove(c.fd.get());
                ++finished;
            } else if (c.done) {
                ++finished;
            }
        }
        if (Clock::now() - last_progress > timeout)
            break;
    }

    std::size_t ok = 0;
    std::vector<std::string> problems;
    for (std::size_t i = 0; i < nconns; ++i) {
        const Conn& c = conns[i];
        if (c.done) {
            ++ok;
            continue;
        }
        std::string why = c.error.empty() ? "stalled with " + std::to_string(c.sent) + " sent, " +
                                                std::to_string(c.received) + " received"
                                          : c.error;
        if (problems.size() < 3)
            problems.push_back("conn " + std::to_string(i) + ": " + why);
    }
    // All connections are still open here: the server must hold them all.
    const auto active = kecho_counter("active");
    const double secs = seconds_since(start);
    std::string active_text = active ? "; server active=" + std::to_string(*active) : "";

    if (ok != nconns) {
        std::string detail;
        for (const auto& p : problems)
            detail += "; " + p;
        std::printf("concurrent: FAIL: %zu/%zu connections echoed exactly%s%s\n", ok, nconns,
                    detail.c_str(), active_text.c_str());
        return 1;
    }
    if (args.has("min-active")) {
        const std::uint64_t want = args.num("min-active", 0);
        if (!active || *active < want) {
            std::printf("concurrent: FAIL: all %zu echoed but server active=%s, want >= %llu\n",
                        nconns, active ? std::to_string(*active).c_str() : "unknown",
                        static_cast<unsigned long long>(want));
            return 1;
        }
    }
    std::printf("concurrent: %zu/%zu connections echoed exactly (%zu bytes each) in %.2f s%s\n", ok,
                nconns, size, secs, active_text.c_str());
    return 0;
}

} // namespace kecho::testclient
