// msgconc --conns N --count M [--min-size A] [--max-size B] [--batch K]
//         [--order be|le] [--seed S] [--window BYTES]
// N connections at once (non-blocking, one epoll loop), each sending M
// seeded framed messages of sizes A..B (connection i's plan is seed + i),
// K frames per write, at most BYTES unechoed at a time. Every echoed frame
// is checked whole, exact and in order; then each connection half-closes
// and must see EOF with nothing more. All N must pass.
#include "commands.h"
#include "epoll.h"
#include "error.h"
#include "msg_frame.h"
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

struct MsgConn {
    UniqueFd fd;
    MsgPlan plan;
    EchoChecker check{ByteOrder::big};
    std::vector<std::uint8_t> out;
    std::size_t out_off = 0;
    std::size_t next = 0; // next message to queue
    bool shut = false;    // SHUT_WR sent after the last echo
    bool done = false;    // EOF seen after the last echo
    std::string error;
};

struct Config {
    std::size_t count;
    std::size_t batch;
    std::size_t window;
    ByteOrder order;
};

std::string sock_error(int fd) {
    int err = 0;
    socklen_t len = sizeof(err);
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    return std::strerror(err != 0 ? err : EPIPE);
}

// One event on one connection; true when it made progress.
bool service(MsgConn& c, const Config& cfg, std::uint32_t events) {
    bool progress = false;
    if (has(events, EPOLLERR) && !has(events, EPOLLIN)) {
        c.error = "socket error: " + sock_error(c.fd.get()) + " with " + c.check.position();
        return true;
    }
    if (has(events, EPOLLIN | EPOLLHUP)) {
        std::array<std::uint8_t, 65536> buf{};
        for (;;) {
            const ssize_t n = ::recv(c.fd.get(), buf.data(), buf.size(), 0);
            if (n == 0) {
                if (c.shut)
                    c.done = true;
                else
                    c.error = "EOF with " + c.check.position();
                return true;
            }
            if (n < 0) {
                if (errno != EAGAIN)
                    c.error = std::string("recv: ") + std::strerror(errno) + " with " +
                              c.check.position();
                break;
            }
            progress = true;
            if (!c.check.feed(std::span(buf).first(static_cast<std::size_t>(n)))) {
                c.error = c.check.why();
                return true;
            }
        }
        if (!c.error.empty())
            return true;
    }
    // Edge-triggered: write whenever anything happened (a read may have
    // opened the window), until EAGAIN or nothing is left to queue.
    if (!c.shut) {
        for (;;) {
            if (c.out_off == c.out.size()) {
                c.out.clear();
                c.out_off = 0;
                if (c.next == cfg.count || c.check.outstanding() >= cfg.window)
                    break;
                const std::size_t end = std::min(cfg.count, c.next + cfg.batch);
                for (; c.next < end; ++c.next) {
                    auto f = c.plan.framed(c.next, cfg.order);
                    c.out.insert(c.out.end(), f.begin(), f.end());
                    c.check.expect(std::move(f), c.next);
                }
            }
            const ssize_t n = ::send(c.fd.get(), c.out.data() + c.out_off, c.out.size() - c.out_off,
                                     MSG_NOSIGNAL);
            if (n < 0) {
                if (errno != EAGAIN)
                    c.error = std::string("send: ") + std::strerror(errno) + " with " +
                              c.check.position();
                break;
            }
            c.out_off += static_cast<std::size_t>(n);
            progress = true;
        }
        if (!c.error.empty())
            return true;
    }
    if (!c.shut && c.next == cfg.count && c.out_off == c.out.size() && c.check.pending() == 0) {
        if (::shutdown(c.fd.get(), SHUT_WR) != 0)
            c.error = std::string("shutdown: ") + std::strerror(errno);
        c.shut = true;
        progress = true;
    }
    return progress;
}

} // namespace

int cmd_msgconc(const Argv& argv) {
    const Args args(argv, net_options({"conns", "count", "min-size", "max-size", "batch", "order",
                                       "seed", "window"}));
    const Endpoint ep = endpoint_from(args);
    const std::size_t nconns = args.num("conns", 100);
    const Config cfg{args.num("count", 10), std::max<std::uint64_t>(args.num("batch", 1), 1),
                     std::max<std::uint64_t>(args.num("window", 256 << 10), 1),
                     parse_order(args.str("order", "be"))};
    const std::uint64_t seed = args.num("seed", fresh_seed());
    const std::size_t min_size = args.num("min-size", 0);
    const std::size_t max_size = args.num("max-size", 65536);
    if (max_size < min_size)
        throw std::invalid_argument("--max-size must be at least --min-size");
    const auto timeout = io_timeout(args);

    Epoll poller;
    std::vector<MsgConn> conns(nconns);
    const auto start = Clock::now();
    for (std::size_t i = 0; i < nconns; ++i) {
        MsgConn& c = conns[i];
        c.plan = MsgPlan{seed + i, min_size, max_size};
        c.check = EchoChecker(cfg.order);
        c.fd = connect_nonblocking(ep);
        poller.add(c.fd.get(), EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, i);
    }
    std::size_t finished = 0;
    auto last_progress = Clock::now();
    while (finished < nconns) {
        for (const auto& ev : poller.wait(500, 1024)) {
            MsgConn& c = conns[ev.data.u64];
            if (c.done || !c.error.empty())
                continue;
            if (service(c, cfg, ev.events))
                last_progress = Clock::now();
            if (c.done || !c.error.empty()) {
                poller.remove(c.fd.get());
                ++finished;
            }
        }
        if (Clock::now() - last_progress > timeout)
            break;
    }

    std::size_t ok = 0;
    std::uint64_t messages = 0;
    std::string problems;
    std::size_t nproblems = 0;
    for (std::size_t i = 0; i < nconns; ++i) {
        const MsgConn& c = conns[i];
        messages += c.check.done();
        if (c.done) {
            ++ok;
            continue;
        }
        if (++nproblems <= 3)
            problems += "; conn " + std::to_string(i) + ": " +
                        (c.error.empty() ? "stalled with " + c.check.position() +
                                               (c.shut ? ", our FIN sent" : ", no FIN sent") +
                                               ", " + tcp_summary(c.fd.get())
                                         : c.error);
    }
    const std::string what = std::to_string(nconns) + " connections x " +
                             std::to_string(cfg.count) + " messages (bodies " +
                             std::to_string(min_size) + ".." + std::to_string(max_size) + " B, " +
                             order_name(cfg.order) + ", seed " + std::to_string(seed) + ")";
    if (ok != nconns) {
        std::printf("msgconc: FAIL: %zu/%zu connections echoed exactly: %s, %llu messages back "
                    "whole%s\n",
                    ok, nconns, what.c_str(), static_cast<unsigned long long>(messages),
                    problems.c_str());
        return 1;
    }
    std::printf("msgconc: %zu/%zu connections echoed exactly: %s, all %llu messages whole and in "
                "order in %.2f s\n",
                ok, nconns, what.c_str(), static_cast<unsigned long long>(messages),
                seconds_since(start));
    return 0;
}

} // namespace kecho::testclient
