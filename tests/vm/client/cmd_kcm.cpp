// KCM (AF_KCM) over kecho in message mode; see docs/KCM.md.
//
// kcm --muxes M --conns C --count N [--min-size A] [--max-size B] [--order]
//     [--seed S]
//   M multiplexors in parallel (a thread each), each with C TCP connections
//   to kecho attached through the BPF length parser, and ONE message in
//   flight at a time: N seeded messages per multiplexor, each sent as one
//   datagram, and its echo must come back as one datagram, whole and exact.
//   Afterwards no attached connection may hold an error.
// kcmtrap --inflight K --count N [--conns C] [--max-size B] [--seed S]
//   The known limitation: K messages in flight on one multiplexor. When two
//   echoed messages share an skb, the parser reads the first one's header
//   for the second and the multiplexor desynchronises. Reports at which
//   message (or that it did not happen); exits 0 either way (1 only when
//   it could not run).
// kcmreset --conns C --count N [--max-size B] [--oversize L]
//   N messages through C attached connections; then a header announcing L
//   bytes (more than kecho's max_msg) is written on connection 0 itself:
//   kecho resets it, KCM reports the error on that TCP socket (POLLERR),
//   the client unattaches and closes it (as kcm.rst says), and N more
//   messages go through the remaining C-1 connections, exact.
#include "commands.h"
#include "error.h"
#include "kcm.h"
#include "msg_frame.h"
#include "net.h"
#include "options.h"
#include "payload.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <vector>

namespace kecho::testclient {

namespace {

// One message through the multiplexor and its echo back; "" when exact.
std::string kcm_round_trip(int kcm_fd, std::span<const std::uint8_t> frame,
                           std::vector<std::uint8_t>& buf, std::chrono::milliseconds timeout) {
    kcm_send(kcm_fd, frame);
    std::string why;
    const std::size_t n = kcm_recv(kcm_fd, buf, timeout, &why);
    if (!why.empty())
        return why;
    if (n != frame.size())
        return "a datagram of " + std::to_string(n) + " bytes, want " +
               std::to_string(frame.size());
    if (auto off = first_mismatch(std::span(buf).first(n), frame))
        return describe_mismatch(*off, buf[*off], frame[*off]);
    return {};
}

std::string errors_of(const std::vector<UniqueFd>& tcp) {
    std::string s;
    for (std::size_t i = 0; i < tcp.size(); ++i)
        if (const int err = take_socket_error(tcp[i].get()); err != 0)
            s += "; connection " + std::to_string(i) + ": " + std::strerror(err);
    return s;
}

MsgPlan plan_from(const Args& args, std::uint64_t seed) {
    MsgPlan p{seed, args.num("min-size", 0), args.num("max-size", 16384)};
    if (p.max_size < p.min_size)
        throw std::invalid_argument("--max-size must be at least --min-size");
    return p;
}

std::chrono::milliseconds timeout_ms(const Args& args) {
    return std::chrono::milliseconds(args.num("timeout", 30) * 1000);
}

} // namespace

int cmd_kcm(const Argv& argv) {
    const Args args(
        argv, net_options({"muxes", "conns", "count", "min-size", "max-size", "order", "seed"}));
    const Endpoint ep = endpoint_from(args);
    const std::size_t muxes = std::max<std::uint64_t>(args.num("muxes", 4), 1);
    const std::size_t conns = std::max<std::uint64_t>(args.num("conns", 2), 1);
    const std::size_t count = args.num("count", 100);
    const ByteOrder order = parse_order(args.str("order", "be"));
    const std::uint64_t seed = args.num("seed", fresh_seed());
    const MsgPlan base = plan_from(args, seed);
    const auto timeout = timeout_ms(args);

    const UniqueFd prog = load_length_parser(order);
    std::vector<Mux> mux;
    for (std::size_t m = 0; m < muxes; ++m)
        mux.push_back(open_mux(ep, conns, prog.get(), io_timeout(args)));

    std::mutex mu;
    std::vector<std::string> problems;
    std::atomic<std::uint64_t> echoed{0};
    std::atomic<std::uint64_t> bytes{0};
    const auto start = Clock::now();
    {
        std::vector<std::jthread> threads;
        for (std::size_t m = 0; m < muxes; ++m) {
            threads.emplace_back([&, m] {
                const MsgPlan plan{seed + m, base.min_size, base.max_size};
                std::vector<std::uint8_t> buf(kHeaderSize + plan.max_size + 1);
                try {
                    for (std::size_t k = 0; k < count; ++k) {
                        const auto f = plan.framed(k, order);
                        if (auto why = kcm_round_trip(mux[m].kcm.get(), f, buf, timeout);
                            !why.empty()) {
                            const std::scoped_lock lock(mu);
                            problems.push_back("mux " + std::to_string(m) + " message " +
                                               std::to_string(k) + " (" +
                                               std::to_string(f.size() - kHeaderSize) +
                                               "-byte body): " + why + errors_of(mux[m].tcp));
                            return;
                        }
                        ++echoed;
                        bytes += f.size();
                    }
                } catch (const std::exception& e) {
                    const std::scoped_lock lock(mu);
                    problems.push_back("mux " + std::to_string(m) + ": " + e.what());
                }
            });
        }
    }
    const double secs = seconds_since(start);
    for (std::size_t m = 0; m < muxes && problems.empty(); ++m)
        if (auto e = errors_of(mux[m].tcp); !e.empty())
            problems.push_back("mux " + std::to_string(m) + " after the run" + e);
    for (auto& m : mux)
        for (const auto& t : m.tcp)
            kcm_unattach(m.kcm.get(), t.get());

    const std::string what = std::to_string(muxes) + " multiplexors x " + std::to_string(conns) +
                             " connections, " + std::to_string(count) +
                             " messages each, one in flight per multiplexor (bodies " +
                             std::to_string(base.min_size) + ".." + std::to_string(base.max_size) +
                             " B, " + order_name(order) + ", seed " + std::to_string(seed) + ")";
    if (!problems.empty()) {
        std::string d;
        for (std::size_t i = 0; i < problems.size() && i < 3; ++i)
            d += "; " + problems[i];
        std::printf("kcm: FAIL: %s: %llu echoed exactly%s\n", what.c_str(),
                    static_cast<unsigned long long>(echoed.load()), d.c_str());
        return 1;
    }
    std::printf("kcm: %s: all %llu echoed exactly, each as one datagram (%llu bytes) in %.2f s\n",
                what.c_str(), static_cast<unsigned long long>(echoed.load()),
                static_cast<unsigned long long>(bytes.load()), secs);
    return 0;
}

int cmd_kcmtrap(const Argv& argv) {
    const Args args(argv,
                    net_options({"inflight", "count", "conns", "min-size", "max-size", "seed"}));
    const Endpoint ep = endpoint_from(args);
    const std::size_t inflight = std::max<std::uint64_t>(args.num("inflight", 8), 1);
    const std::size_t count = args.num("count", 2000);
    const std::size_t conns = std::max<std::uint64_t>(args.num("conns", 1), 1);
    const std::uint64_t seed = args.num("seed", fresh_seed());
    MsgPlan plan{seed, args.num("min-size", 1), args.num("max-size", 200)};
    const auto timeout = std::chrono::milliseconds(2000);

    const UniqueFd prog = load_length_parser(ByteOrder::big);
    Mux mux = open_mux(ep, conns, prog.get(), io_timeout(args));
    std::vector<std::uint8_t> buf(kHeaderSize + plan.max_size + 65536);
    std::size_t k = 0;
    std::string desync;
    const auto start = Clock::now();
    while (k < count && desync.empty()) {
        const std::size_t end = std::min(count, k + inflight);
        std::vector<std::vector<std::uint8_t>> sent;
        for (std::size_t i = k; i < end; ++i) {
            sent.push_back(plan.framed(i, ByteOrder::big));
            kcm_send(mux.kcm.get(), sent.back());
        }
        // With one connection the echoes come back in order.
        for (std::size_t i = 0; i < sent.size() && desync.empty(); ++i) {
            std::string why;
            const std::size_t n = kcm_recv(mux.kcm.get(), buf, timeout, &why);
            const auto& want = sent[i];
            if (why.empty() && n != want.size())
                why = "a datagram of " + std::to_string(n) + " bytes, want " +
                      std::to_string(want.size());
            else if (why.empty())
                if (auto off = first_mismatch(std::span(buf).first(n), want))
                    why = describe_mismatch(*off, buf[*off], want[*off]);
            if (!why.empty())
                desync = "at message " + std::to_string(k + i) + " (" + std::to_string(k + i) +
                         " echoed whole before it): " + why + errors_of(mux.tcp);
        }
        k = end;
    }
    const std::string what = "one multiplexor, " + std::to_string(conns) + " connection(s), " +
                             std::to_string(inflight) + " messages in flight (bodies " +
                             std::to_string(plan.min_size) + ".." + std::to_string(plan.max_size) +
                             " B, seed " + std::to_string(seed) + ")";
    if (!desync.empty()) {
        std::printf("kcmtrap: %s: desynchronised %s after %.2f s\n", what.c_str(), desync.c_str(),
                    seconds_since(start));
        return 0; // closing the sockets unattaches everything
    }
    for (const auto& t : mux.tcp)
        kcm_unattach(mux.kcm.get(), t.get());
    std::printf("kcmtrap: %s: no desynchronisation in %zu messages (%.2f s)\n", what.c_str(), count,
                seconds_since(start));
    return 0;
}

int cmd_kcmreset(const Argv& argv) {
    const Args args(argv,
                    net_options({"conns", "count", "min-size", "max-size", "oversize", "seed"}));
    const Endpoint ep = endpoint_from(args);
    const std::size_t conns = std::max<std::uint64_t>(args.num("conns", 3), 2);
    const std::size_t count = args.num("count", 200);
    const std::uint64_t oversize = args.num("oversize", 65537);
    if (oversize > UINT32_MAX)
        throw std::invalid_argument("--oversize must fit 32 bits");
    const std::uint64_t seed = args.num("seed", fresh_seed());
    const MsgPlan plan = plan_from(args, seed);
    const auto timeout = timeout_ms(args);

    const UniqueFd prog = load_length_parser(ByteOrder::big);
    Mux mux = open_mux(ep, conns, prog.get(), io_timeout(args));
    std::vector<std::uint8_t> buf(kHeaderSize + plan.max_size + 1);
    const auto run = [&](std::size_t from, const char* phase) {
        for (std::size_t k = from; k < from + count; ++k) {
            const auto f = plan.framed(k, ByteOrder::big);
            if (auto why = kcm_round_trip(mux.kcm.get(), f, buf, timeout); !why.empty())
                return std::string(phase) + ": message " + std::to_string(k) + " (" +
                       std::to_string(f.size() - kHeaderSize) + "-byte body): " + why +
                       errors_of(mux.tcp);
        }
        return std::string();
    };
    const std::string what = std::to_string(conns) + " connections on one multiplexor, " +
                             std::to_string(count) + " messages before and after (bodies " +
                             std::to_string(plan.min_size) + ".." + std::to_string(plan.max_size) +
                             " B, seed " + std::to_string(seed) + ")";
    if (auto why = run(0, "before the reset"); !why.empty()) {
        std::printf("kcmreset: FAIL: %s: %s\n", what.c_str(), why.c_str());
        return 1;
    }
    // The multiplexor is idle (every echo is back): an oversize header
    // written on connection 0 itself cannot interleave with its messages.
    const int victim = mux.tcp[0].get();
    const auto h = encode_length(static_cast<std::uint32_t>(oversize), ByteOrder::big);
    write_all(victim, h);
    pollfd p{victim, POLLERR, 0};
    int r = 0;
    do {
        r = ::poll(&p, 1, static_cast<int>(timeout.count()));
    } while (r < 0 && errno == EINTR);
    if (r == 0 || (p.revents & POLLERR) == 0) {
        std::printf("kcmreset: FAIL: %s: no error on the connection after a header announcing "
                    "%llu bytes (poll: revents 0x%x)\n",
                    what.c_str(), static_cast<unsigned long long>(oversize),
                    static_cast<unsigned>(p.revents));
        return 1;
    }
    const int err = take_socket_error(victim);
    const int state = tcp_state(victim);
    kcm_unattach(mux.kcm.get(), victim);
    mux.tcp.erase(mux.tcp.begin());
    if (state != TCP_CLOSE) {
        std::printf("kcmreset: FAIL: %s: connection 0 reported %s but is in TCP state %d, not "
                    "closed\n",
                    what.c_str(), std::strerror(err), state);
        return 1;
    }
    if (auto why = run(count, "after the reset"); !why.empty()) {
        std::printf("kcmreset: FAIL: %s: %s\n", what.c_str(), why.c_str());
        return 1;
    }
    for (const auto& t : mux.tcp) {
        if (tcp_state(t.get()) != TCP_ESTABLISHED) {
            std::printf("kcmreset: FAIL: %s: a remaining connection is in TCP state %d\n",
                        what.c_str(), tcp_state(t.get()));
            return 1;
        }
        kcm_unattach(mux.kcm.get(), t.get());
    }
    std::printf("kcmreset: %s: all echoed exactly; a header announcing %llu bytes reset "
                "connection 0 (KCM reported %s, state closed), which was unattached, and the "
                "other %zu carried on\n",
                what.c_str(), static_cast<unsigned long long>(oversize), std::strerror(err),
                mux.tcp.size());
    return 0;
}

} // namespace kecho::testclient
