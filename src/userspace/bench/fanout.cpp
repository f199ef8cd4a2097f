// fanout: see fanout.h. Every client thread runs one epoll loop over its
// share of the connections (senders and receivers alike: senders must read
// too, the room sends them the other senders' messages). Reads are large
// (64 KiB) and parse every whole message in them, so the client's cost per
// delivery stays small next to the server's.
#include "fanout.h"

#include "connect_all.h"
#include "modes.h"
#include "proc_stats.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace kecho::bench {

namespace {

constexpr std::size_t kHeader = 4;
constexpr std::size_t kReadSize = 65536;
constexpr uint64_t kBarrierLimitNs = 120'000'000'000; // give up after 2 minutes
constexpr uint64_t kMaxLagNs = 100'000'000;           // --rate: no catch-up burst past this

void put_u32(char* p, uint32_t v) {
    for (int i = 0; i < 4; ++i)
        p[i] = static_cast<char>((v >> (8 * (3 - i))) & 0xffU);
}
void put_u64(char* p, uint64_t v) {
    for (int i = 0; i < 8; ++i)
        p[i] = static_cast<char>((v >> (8 * (7 - i))) & 0xffU);
}
uint32_t get_u32(const char* p) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
        v = (v << 8) | static_cast<unsigned char>(p[i]);
    return v;
}
uint64_t get_u64(const char* p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v = (v << 8) | static_cast<unsigned char>(p[i]);
    return v;
}

struct Shared {
    const Options& o;
    unsigned nconns = 0;
    uint64_t copies = 0; // deliveries per message: every client but its sender
    std::atomic<uint64_t> joined_pairs{0};
    std::atomic<bool> running{false}; // the barrier passed: data flows
    std::atomic<uint64_t> measure_from{UINT64_MAX};
    std::atomic<uint64_t> measure_until{UINT64_MAX};
    std::atomic<bool> stop{false};
    std::vector<std::atomic<uint64_t>> delivered_of; // data copies delivered, per sender
    std::vector<std::atomic<uint64_t>> heard_of;     // clients that heard the sender
    explicit Shared(const Options& opts)
        : o(opts), delivered_of(opts.senders), heard_of(opts.senders) {}
};

struct FConn {
    UniqueFd fd;
    int sender = -1; // its sender index, or -1 for a receiver
    std::vector<char> rx;
    std::size_t rx_len = 0;
    std::vector<uint64_t> last_seq; // per sender; 0: nothing from it yet
    // Sender side.
    std::vector<char> tx; // the message being sent (header + body)
    std::size_t tx_off = 0;
    uint64_t seq = 0;
    uint64_t data_sent = 0;
    uint64_t next_at = 0;
    unsigned probes = 0;  // barrier probes sent
    bool started = false; // sending data (the barrier is behind)
    uint32_t interest = EPOLLIN;
};

class FanoutWorker {
  public:
    FanoutWorker(Shared& s, std::vector<FConn> conns)
        : s_(s), o_(s.o), conns_(std::move(conns)), epoll_(::epoll_create1(EPOLL_CLOEXEC)),
          local_of_(o_.senders, 0) {
        for (std::size_t i = 0; i < conns_.size(); ++i) {
            FConn& c = conns_[i];
            c.rx.resize(kReadSize + kHeader + o_.size);
            c.last_seq.assign(o_.senders, 0);
            if (c.sender >= 0) {
                c.tx.resize(kHeader + o_.size);
                put_u32(c.tx.data(), static_cast<uint32_t>(o_.size));
                for (std::size_t k = kFanoutMinSize; k < o_.size; ++k)
                    c.tx[kHeader + k] = pattern_at(k);
                c.tx_off = c.tx.size(); // nothing pending
            }
            epoll_event e{};
            e.events = EPOLLIN;
            e.data.u64 = i;
            ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, c.fd.get(), &e);
        }
    }

    void run() {
        std::array<epoll_event, 256> ev{};
        const bool paced = o_.rate > 0;
        const uint64_t interval =
            paced ? static_cast<uint64_t>(1e9 * o_.senders / o_.rate) : probe_gap_ns(1);
        while (!s_.stop.load(std::memory_order_relaxed)) {
            const int n = ::epoll_wait(epoll_.get(), ev.data(), static_cast<int>(ev.size()), 1);
            for (int k = 0; k < n; ++k) {
                FConn& c = conns_[ev[k].data.u64];
                if (!c.fd)
                    continue;
                if ((ev[k].events & EPOLLOUT) != 0U)
                    send_pending(c);
                if ((ev[k].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0U)
                    receive(c);
            }
            publish();
            const uint64_t now = now_ns();
            const bool running = s_.running.load(std::memory_order_relaxed);
            for (FConn& c : conns_) {
                if (c.sender < 0 || !c.fd || c.tx_off < c.tx.size())
                    continue;
                if (!running) { // barrier: probes, until every client heard this sender
                    const auto s = static_cast<std::size_t>(c.sender);
                    if (now >= c.next_at &&
                        s_.heard_of[s].load(std::memory_order_relaxed) < s_.copies) {
                        send_msg(c, now, true);
                        c.next_at = now + probe_gap_ns(++c.probes);
                    }
                    continue;
                }
                if (!c.started) { // spread the senders over the interval: no bursts
                    c.started = true;
                    c.next_at = now + interval * static_cast<uint64_t>(c.sender) / o_.senders;
                }
                if (c.next_at < now - std::min(now, kMaxLagNs))
                    c.next_at = now - kMaxLagNs;
                while (c.fd && c.tx_off == c.tx.size() && (!paced || now >= c.next_at) &&
                       window_open(c)) {
                    send_msg(c, now, false);
                    if (!paced)
                        break; // one per round each: senders share the thread fairly
                    c.next_at += interval;
                }
            }
        }
    }

    uint64_t sent = 0;
    uint64_t delivered = 0;
    uint64_t errors = 0;
    Histogram latency;

  private:
    bool window_open(const FConn& c) const {
        const uint64_t got =
            s_.delivered_of[static_cast<std::size_t>(c.sender)].load(std::memory_order_relaxed);
        return c.data_sent * s_.copies < got + uint64_t{o_.window} * s_.copies;
    }

    void send_msg(FConn& c, uint64_t now, bool probe) {
        FanoutStamp st;
        st.sender = static_cast<uint32_t>(c.sender);
        st.flags = probe ? FanoutStamp::kProbe : 0;
        st.seq = ++c.seq;
        st.sent_ns = now_ns();
        write_stamp(std::span<char>(c.tx.data() + kHeader, o_.size), st);
        c.tx_off = 0;
        if (!probe) {
            ++c.data_sent;
            if (now >= s_.measure_from.load(std::memory_order_relaxed) &&
                now < s_.measure_until.load(std::memory_order_relaxed))
                ++sent;
        }
        send_pending(c);
    }

    void send_pending(FConn& c) {
        while (c.tx_off < c.tx.size()) {
            const ssize_t w = ::send(c.fd.get(), c.tx.data() + c.tx_off, c.tx.size() - c.tx_off,
                                     MSG_NOSIGNAL | MSG_DONTWAIT);
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                break;
            if (w <= 0) {
                fail(c);
                return;
            }
            c.tx_off += static_cast<std::size_t>(w);
        }
        watch(c, c.tx_off < c.tx.size() ? EPOLLIN | EPOLLOUT : EPOLLIN);
    }

    void watch(FConn& c, uint32_t events) {
        if (c.interest == events)
            return;
        epoll_event e{};
        e.events = events;
        e.data.u64 = static_cast<uint64_t>(&c - conns_.data());
        ::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, c.fd.get(), &e);
        c.interest = events;
    }

    void fail(FConn& c) {
        c.fd.reset();
        ++errors;
    }

    void receive(FConn& c) {
        const ssize_t r =
            ::recv(c.fd.get(), c.rx.data() + c.rx_len, c.rx.size() - c.rx_len, MSG_DONTWAIT);
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return;
        if (r <= 0) {
            fail(c);
            return;
        }
        c.rx_len += static_cast<std::size_t>(r);
        const uint64_t now = now_ns();
        const uint64_t from = s_.measure_from.load(std::memory_order_relaxed);
        const uint64_t until = s_.measure_until.load(std::memory_order_relaxed);
        const std::size_t msg = kHeader + o_.size;
        std::size_t off = 0;
        while (c.rx_len - off >= kHeader) {
            if (get_u32(c.rx.data() + off) != o_.size) {
                fail(c);
                return;
            }
            if (c.rx_len - off < msg)
                break;
            const FanoutStamp st = read_stamp({c.rx.data() + off + kHeader, o_.size});
            off += msg;
            if (st.sender >= o_.senders || static_cast<int>(st.sender) == c.sender) {
                fail(c);
                return;
            }
            uint64_t& last = c.last_seq[st.sender];
            if (last == 0) {
                s_.joined_pairs.fetch_add(1, std::memory_order_relaxed);
                s_.heard_of[st.sender].fetch_add(1, std::memory_order_relaxed);
            } else if (st.seq != last + 1)
                ++errors; // lost, duplicated or reordered
            last = st.seq;
            if ((st.flags & FanoutStamp::kProbe) != 0U)
                continue;
            ++local_of_[st.sender];
            if (now >= from && now < until) {
                ++delivered;
                if (st.sent_ns >= from)
                    latency.record(now - st.sent_ns);
            }
        }
        std::memmove(c.rx.data(), c.rx.data() + off, c.rx_len - off);
        c.rx_len -= off;
    }

    // Deliveries per sender go to the shared counters once per round.
    void publish() {
        for (std::size_t i = 0; i < local_of_.size(); ++i)
            if (local_of_[i] != 0U) {
                s_.delivered_of[i].fetch_add(local_of_[i], std::memory_order_relaxed);
                local_of_[i] = 0;
            }
    }

    Shared& s_;
    const Options& o_;
    std::vector<FConn> conns_;
    UniqueFd epoll_;
    std::vector<uint64_t> local_of_;
};

void sleep_until_ns(uint64_t t) {
    for (uint64_t now = now_ns(); now < t; now = now_ns())
        std::this_thread::sleep_for(
            std::chrono::nanoseconds(std::min<uint64_t>(t - now, 50'000'000)));
}

struct MemSample {
    int64_t slab_kb = 0;
    int64_t used_kb = 0; // MemTotal - MemAvailable
};
MemSample sample_mem() {
    const std::string m = slurp("/proc/meminfo");
    return {proc_value(m, "Slab"), proc_value(m, "MemTotal") - proc_value(m, "MemAvailable")};
}

std::string fmt(const char* f, double v) {
    std::array<char, 64> buf{};
    std::snprintf(buf.data(), buf.size(), f, v);
    return buf.data();
}

double us(uint64_t ns) {
    return static_cast<double>(ns) / 1000.0;
}

} // namespace

uint64_t probe_gap_ns(unsigned probes_sent) {
    constexpr uint64_t kFirstGapNs = 100'000'000;
    constexpr unsigned kMaxDoublings = 5;
    return kFirstGapNs << std::min(probes_sent > 0 ? probes_sent - 1 : 0U, kMaxDoublings);
}

void write_stamp(std::span<char> body, const FanoutStamp& s) {
    put_u32(body.data(), s.sender);
    put_u32(body.data() + 4, s.flags);
    put_u64(body.data() + 8, s.seq);
    put_u64(body.data() + 16, s.sent_ns);
}

FanoutStamp read_stamp(std::span<const char> body) {
    FanoutStamp s;
    s.sender = get_u32(body.data());
    s.flags = get_u32(body.data() + 4);
    s.seq = get_u64(body.data() + 8);
    s.sent_ns = get_u64(body.data() + 16);
    return s;
}

FanoutResult run_fanout(const Options& o, const Target& t) {
    const unsigned n = o.senders + o.receivers;
    const unsigned nt = std::min(thread_count(o), n);
    Shared s(o);
    s.nconns = n;
    s.copies = n - 1;
    const MemSample mem0 = sample_mem();
    const uint64_t t_connect = now_ns();
    // Connect everyone (senders are conns 0..S-1), shared out round-robin.
    std::vector<std::vector<FConn>> parts(nt);
    uint64_t failures = 0;
    {
        std::vector<std::vector<UniqueFd>> fds(nt);
        std::vector<uint64_t> fails(nt, 0);
        {
            std::vector<std::jthread> threads;
            for (unsigned i = 0; i < nt; ++i)
                threads.emplace_back(
                    [&, i] { fds[i] = connect_all(t, share_of(n, i, nt), 60.0, fails[i]); });
        }
        // Senders spread over the threads like receivers: connection j of
        // every thread in turn.
        unsigned next = 0;
        std::size_t most = 0;
        for (unsigned i = 0; i < nt; ++i) {
            failures += fails[i];
            most = std::max(most, fds[i].size());
        }
        for (std::size_t j = 0; j < most; ++j)
            for (unsigned i = 0; i < nt; ++i) {
                if (j >= fds[i].size())
                    continue;
                FConn c;
                c.fd = std::move(fds[i][j]);
                c.sender = next < o.senders ? static_cast<int>(next) : -1;
                ++next;
                parts[i].push_back(std::move(c));
            }
        // Fewer connections than asked: the room is what connected.
        s.copies = next > 0 ? next - 1 : 0;
    }
    std::vector<std::unique_ptr<FanoutWorker>> workers;
    workers.reserve(parts.size());
    std::transform(parts.begin(), parts.end(), std::back_inserter(workers),
                   [&s](auto& p) { return std::make_unique<FanoutWorker>(s, std::move(p)); });
    // Pairs (client, sender other than itself) that must have met.
    const uint64_t senders_up = std::min<uint64_t>(o.senders, s.copies + 1);
    const uint64_t pairs = senders_up * s.copies;
    FanoutResult r;
    r.label = o.label;
    r.senders = o.senders;
    r.receivers = o.receivers;
    r.threads = nt;
    r.size = o.size;
    r.rate = o.rate;
    r.window = o.window;
    r.failures = failures;
    CpuSample c0;
    CpuSample c1;
    MemSample mem1;
    {
        std::vector<std::jthread> threads;
        threads.reserve(workers.size());
        std::transform(workers.begin(), workers.end(), std::back_inserter(threads),
                       [](const auto& w) { return std::jthread([p = w.get()] { p->run(); }); });
        const uint64_t barrier_from = now_ns();
        while (s.joined_pairs.load() < pairs && now_ns() - barrier_from < kBarrierLimitNs)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        const uint64_t joined = now_ns();
        r.barrier_s = static_cast<double>(joined - t_connect) / 1e9;
        if (s.joined_pairs.load() < pairs) {
            std::fprintf(stderr, "bench: fanout: barrier: %" PRIu64 " of %" PRIu64 " pairs met\n",
                         s.joined_pairs.load(), pairs);
            ++r.errors;
        }
        const uint64_t from = joined + static_cast<uint64_t>(o.warmup * 1e9);
        const uint64_t until = from + static_cast<uint64_t>(o.duration * 1e9);
        s.measure_until = until;
        s.measure_from = from;
        s.running = true;
        std::fprintf(stderr, "fanout: %u clients joined in %.2f s\n", s.nconns, r.barrier_s);
        sleep_until_ns(from);
        c0 = sample_cpu(o);
        sleep_until_ns(from + (until - from) / 2);
        mem1 = sample_mem();
        if (o.server_pid != 0)
            r.rss_kb =
                proc_value(slurp("/proc/" + std::to_string(o.server_pid) + "/status"), "VmRSS");
        r.queued_bytes = proc_value(slurp("/proc/net/kecho"), "queued_bytes");
        sleep_until_ns(until);
        c1 = sample_cpu(o);
        r.seconds = static_cast<double>(now_ns() - from) / 1e9;
        s.stop = true;
    }
    const CpuUse cpu = cpu_used(c0, c1);
    r.guest_cpu_s = cpu.guest_s;
    r.softirq_s = cpu.softirq_s;
    r.client_cpu_s = cpu.client_s;
    r.server_cpu_s = cpu.server_s;
    r.slab_delta_kb = mem1.slab_kb - mem0.slab_kb;
    r.used_delta_kb = mem1.used_kb - mem0.used_kb;
    for (const auto& w : workers) {
        r.sent += w->sent;
        r.delivered += w->delivered;
        r.errors += w->errors;
        r.latency.merge(w->latency);
    }
    return r;
}

std::string format_fanout_human(const FanoutResult& r) {
    const auto& h = r.latency;
    std::string s = "fanout" + (r.label.empty() ? "" : " [" + r.label + "]") + ": " +
                    std::to_string(r.senders) + " senders, " + std::to_string(r.receivers) +
                    " receivers, " + std::to_string(r.size) + " B bodies, " +
                    (r.rate > 0 ? fmt("%.0f msg/s offered", r.rate) : "window only") + ", window " +
                    std::to_string(r.window) + ", " + std::to_string(r.threads) + " threads, " +
                    fmt("%.2f", r.seconds) + " s (joined in " + fmt("%.2f", r.barrier_s) + " s)\n";
    s += "  sent " + std::to_string(r.sent) + "  delivered " + std::to_string(r.delivered) + "  (" +
         fmt("%.1f", r.delivered_per_s()) + " deliveries/s)\n";
    s += "  latency us  p50 " + fmt("%.1f", us(h.percentile(50))) + "  p90 " +
         fmt("%.1f", us(h.percentile(90))) + "  p99 " + fmt("%.1f", us(h.percentile(99))) +
         "  p99.9 " + fmt("%.1f", us(h.percentile(99.9))) + "  max " + fmt("%.1f", us(h.max())) +
         "\n";
    s += "  cpu s  guest " + fmt("%.2f", r.guest_cpu_s) + "  client " +
         fmt("%.2f", r.client_cpu_s) + "  server " +
         (r.server_cpu_s >= 0 ? fmt("%.2f", r.server_cpu_s) : std::string("?")) + "  softirq " +
         fmt("%.2f", r.softirq_s) + "\n";
    s += "  memory  server rss " +
         (r.rss_kb >= 0 ? std::to_string(r.rss_kb) + " kB" : std::string("?")) + "  queued_bytes " +
         (r.queued_bytes >= 0 ? std::to_string(r.queued_bytes) : std::string("?")) + "  slab " +
         std::to_string(r.slab_delta_kb) + " kB  used " + std::to_string(r.used_delta_kb) +
         " kB (against before connecting)\n";
    s += "  failures " + std::to_string(r.failures) + "  errors " + std::to_string(r.errors) + "\n";
    return s;
}

std::string fanout_csv_header() {
    return "mode,label,senders,receivers,threads,size,rate,window,seconds,sent,delivered,"
           "delivered_per_s,p50_us,p90_us,p99_us,p999_us,max_us,mean_us,failures,errors,"
           "barrier_s,guest_cpu_s,client_cpu_s,server_cpu_s,softirq_s,rss_kb,queued_bytes,"
           "slab_delta_kb,used_delta_kb\n";
}

std::string format_fanout_csv(const FanoutResult& r) {
    const auto& h = r.latency;
    return "fanout," + r.label + "," + std::to_string(r.senders) + "," +
           std::to_string(r.receivers) + "," + std::to_string(r.threads) + "," +
           std::to_string(r.size) + "," + fmt("%.1f", r.rate) + "," + std::to_string(r.window) +
           "," + fmt("%.3f", r.seconds) + "," + std::to_string(r.sent) + "," +
           std::to_string(r.delivered) + "," + fmt("%.1f", r.delivered_per_s()) + "," +
           fmt("%.1f", us(h.percentile(50))) + "," + fmt("%.1f", us(h.percentile(90))) + "," +
           fmt("%.1f", us(h.percentile(99))) + "," + fmt("%.1f", us(h.percentile(99.9))) + "," +
           fmt("%.1f", us(h.max())) + "," + fmt("%.1f", h.mean() / 1000.0) + "," +
           std::to_string(r.failures) + "," + std::to_string(r.errors) + "," +
           fmt("%.3f", r.barrier_s) + "," + fmt("%.3f", r.guest_cpu_s) + "," +
           fmt("%.3f", r.client_cpu_s) + "," + fmt("%.3f", r.server_cpu_s) + "," +
           fmt("%.3f", r.softirq_s) + "," + std::to_string(r.rss_kb) + "," +
           std::to_string(r.queued_bytes) + "," + std::to_string(r.slab_delta_kb) + "," +
           std::to_string(r.used_delta_kb) + "\n";
}

} // namespace kecho::bench
