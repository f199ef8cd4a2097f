// sweep: the original kecho experiment. For each concurrency level N, open N
// connections, then in every round release all of them together (a barrier
// across the client threads) and time each one's echo from the release.
#include "connect_all.h"
#include "modes.h"
#include "progress.h"

#include <array>
#include <barrier>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <thread>

namespace kecho::bench {

namespace {

constexpr int kRoundTimeoutMs = 10000;

struct SweepThread {
    std::vector<UniqueFd> conns;
    Result part;
};

// One round on this thread's connections: send on all, then collect the
// echoes. Latencies count from `t0`, the common release.
void round_trip(SweepThread& st, const std::vector<char>& msg, uint64_t t0, bool record,
                Counters& live) {
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
    const uint64_t deadline = t0 + static_cast<uint64_t>(kRoundTimeoutMs) * 1'000'000;
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

} // namespace

std::vector<Result> run_sweep(const Options& o, const Target& t) {
    const unsigned nt = thread_count(o);
    std::vector<char> msg(o.size);
    for (std::size_t i = 0; i < msg.size(); ++i)
        msg[i] = pattern_at(i);
    std::vector<Result> results;
    for (unsigned level : o.steps) {
        std::vector<SweepThread> st(nt);
        std::vector<Counters> live(nt);
        std::barrier sync(static_cast<std::ptrdiff_t>(nt));
        std::vector<uint64_t> release(o.rounds + 1);
        const uint64_t start = now_ns();
        std::atomic<bool> finished{false};
        {
            std::vector<std::jthread> threads;
            for (unsigned ti = 0; ti < nt; ++ti)
                threads.emplace_back([&, ti] {
                    SweepThread& me = st[ti];
                    me.conns = connect_all(t, share_of(level, ti, nt), 30.0, me.part.failures);
                    live[ti].failures.fetch_add(me.part.failures);
                    // Round 0 warms up and is not recorded.
                    for (unsigned r = 0; r <= o.rounds; ++r) {
                        sync.arrive_and_wait();
                        if (ti == 0)
                            release[r] = now_ns();
                        sync.arrive_and_wait();
                        round_trip(me, msg, release[r], r > 0, live[ti]);
                    }
                    sync.arrive_and_wait();
                    if (ti == 0)
                        finished = true;
                });
            Progress progress("sweep " + std::to_string(level));
            while (!finished.load()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
                progress.update(live, static_cast<double>(now_ns() - start) / 1e9);
            }
            progress.done();
        }
        Result r;
        r.mode = "sweep";
        r.label = o.label;
        r.conns = level;
        r.threads = nt;
        r.size = o.size;
        r.seconds = static_cast<double>(now_ns() - release[0]) / 1e9;
        for (auto& s : st) {
            r.requests += s.part.requests;
            r.bytes += s.part.bytes;
            r.failures += s.part.failures;
            r.errors += s.part.errors;
            r.latency.merge(s.part.latency);
        }
        results.push_back(std::move(r));
    }
    return results;
}

} // namespace kecho::bench
