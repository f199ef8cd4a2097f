// crr, rr and stream.
#include "modes.h"
#include "progress.h"
#include "timed_run.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <thread>

namespace kecho::bench {

unsigned thread_count(const Options& o) {
    return o.threads != 0U ? o.threads : std::max(1U, std::thread::hardware_concurrency());
}

unsigned share_of(unsigned total, unsigned i, unsigned n) {
    return total / n + (i < total % n ? 1 : 0);
}

namespace {

// stream: bytes in flight per connection, at least; and two writes' worth.
constexpr uint64_t kStreamWindow = uint64_t{256} * 1024;
constexpr uint64_t kRetryNs = 10'000'000; // wait after a failed connect
constexpr std::size_t kFrameHeader = 4;   // --framed: big-endian body length
constexpr unsigned kPumpRounds = 8;       // send/recv rounds per event, at most
constexpr uint64_t kStreamCheckEvery = 8; // stream: reads per read checked byte for byte

// Write the big-endian length of a @size-byte body into the header slot at
// the front of @buf; the request is then header and body.
uint64_t frame_request(std::vector<char>& buf, std::size_t size) {
    for (std::size_t i = 0; i < kFrameHeader; ++i)
        buf[i] = static_cast<char>((size >> (8 * (kFrameHeader - 1 - i))) & 0xffU);
    return kFrameHeader + size;
}

struct Conn {
    UniqueFd fd;
    enum { down, connecting, up } state = down;
    uint64_t t0 = 0;    // start of the current request (crr: of the connect)
    uint64_t sent = 0;  // bytes sent (of this request; stream: in total)
    uint64_t recvd = 0; // bytes received (likewise)
    uint64_t retry_at = 0;
    uint32_t interest = 0;
    uint64_t reads = 0; // stream: recv calls made
};

class LoadWorker {
  public:
    LoadWorker(RunState& s, unsigned nconns, Counters& live)
        : s_(s), o_(s.o), conns_(nconns), live_(live), epoll_(::epoll_create1(EPOLL_CLOEXEC)) {
        const std::size_t n = std::max<std::size_t>(o_.size, std::size_t{64} * 1024) + 89;
        pattern_.resize(n);
        for (std::size_t i = 0; i < n; ++i)
            pattern_[i] = pattern_at(i);
        if (o_.framed)
            pattern_.insert(pattern_.begin(), kFrameHeader, '\0');
        request_ = o_.framed ? frame_request(pattern_, o_.size) : o_.size;
        window_ = std::max<uint64_t>(kStreamWindow, uint64_t{2} * o_.size);
        rbuf_.resize(std::max<std::size_t>(request_, std::size_t{64} * 1024));
    }

    void run() {
        std::array<epoll_event, 256> ev{};
        for (std::size_t i = 0; i < conns_.size(); ++i)
            open(i);
        while (!s_.stop.load(std::memory_order_relaxed)) {
            const int n = ::epoll_wait(epoll_.get(), ev.data(), static_cast<int>(ev.size()), 10);
            for (int k = 0; k < n; ++k)
                on_event(ev[k].data.u32, ev[k].events);
            const uint64_t now = now_ns();
            if (now >= s_.w.measure_until)
                s_.stop = true;
            if (retry_pending_)
                retry(now);
        }
        result_.seconds = 0; // filled by the caller
    }

    Result& result() { return result_; }

  private:
    bool measuring(uint64_t now) const { return now >= s_.w.measure_from; }

    void open(std::size_t i) {
        Conn& c = conns_[i];
        c.fd = start_connect(s_.t);
        c.t0 = now_ns();
        c.sent = c.recvd = 0;
        c.interest = 0;
        if (!c.fd) {
            fail_connect(c);
            return;
        }
        c.state = Conn::connecting;
        watch(i, EPOLLOUT);
    }

    void fail_connect(Conn& c) {
        c.fd.reset();
        c.state = Conn::down;
        c.retry_at = now_ns() + kRetryNs;
        retry_pending_ = true;
        if (measuring(now_ns())) {
            ++result_.failures;
            live_.failures.fetch_add(1, std::memory_order_relaxed);
        }
    }

    void error(std::size_t i) {
        Conn& c = conns_[i];
        c.fd.reset();
        c.state = Conn::down;
        if (measuring(now_ns())) {
            ++result_.errors;
            live_.errors.fetch_add(1, std::memory_order_relaxed);
        }
        open(i);
    }

    void retry(uint64_t now) {
        retry_pending_ = false;
        for (std::size_t i = 0; i < conns_.size(); ++i) {
            if (conns_[i].state != Conn::down)
                continue;
            if (conns_[i].retry_at <= now)
                open(i);
            else
                retry_pending_ = true;
        }
    }

    void watch(std::size_t i, uint32_t events) {
        Conn& c = conns_[i];
        if (c.interest == events)
            return;
        epoll_event e{};
        e.events = events;
        e.data.u32 = static_cast<uint32_t>(i);
        const int op = c.interest == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
        if (::epoll_ctl(epoll_.get(), op, c.fd.get(), &e) == 0)
            c.interest = events;
    }

    void on_event(uint32_t i, uint32_t events) {
        Conn& c = conns_[i];
        if (c.state == Conn::connecting) {
            if (connect_result(c.fd.get()) != 0) {
                fail_connect(c);
                return;
            }
            c.state = Conn::up;
            set_nodelay(c.fd.get());
            if (o_.mode != Mode::crr)
                c.t0 = now_ns();
            pump(i);
            return;
        }
        if (c.state == Conn::up && ((events & (EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP)) != 0U))
            pump(i);
    }

    // Send and receive as far as the socket allows; complete requests. In
    // rr, at most one request completes per call: the next one is sent and
    // its answer left to the next epoll round. Otherwise a server that
    // answers within the client's send (kecho's worker can preempt it
    // there) keeps the thread on one connection and starves the others.
    //
    // In stream mode a fast server always has more to read and room to
    // send, so the rounds are bounded too: level-triggered epoll reports
    // the connection again, after the others had their turn.
    void pump(std::size_t i) {
        Conn& c = conns_[i];
        const bool stream = o_.mode == Mode::stream;
        bool completed = false;
        for (unsigned round = 0; round < kPumpRounds; ++round) {
            bool progressed = false;
            // Send: the rest of this request, or (stream) up to the window,
            // in writes of --size bytes.
            const uint64_t limit = stream ? c.recvd + window_ : request_;
            if (c.sent < limit) {
                const uint64_t off = stream ? c.sent % 89 : c.sent;
                // limit is request_ outside stream mode: the whole rest.
                const uint64_t rest = limit - c.sent;
                const auto len =
                    static_cast<std::size_t>(stream ? std::min<uint64_t>(rest, o_.size) : rest);
                const ssize_t w =
                    ::send(c.fd.get(), pattern_.data() + off, len, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                    error(i);
                    return;
                }
                if (w > 0) {
                    c.sent += static_cast<uint64_t>(w);
                    progressed = true;
                }
            }
            if (completed)
                break;
            // Receive and check against what was sent.
            // stream: one read in kStreamCheckEvery is copied out and
            // checked; TCP discards the others in the kernel (MSG_TRUNC),
            // so the client's own copies do not drown the servers' cost.
            const uint64_t want = c.sent - c.recvd;
            if (want > 0) {
                const bool check = !stream || c.reads++ % kStreamCheckEvery == 0;
                const auto len = static_cast<std::size_t>(std::min<uint64_t>(want, rbuf_.size()));
                const ssize_t r = check
                                      ? ::recv(c.fd.get(), rbuf_.data(), len, MSG_DONTWAIT)
                                      : ::recv(c.fd.get(), nullptr, len, MSG_DONTWAIT | MSG_TRUNC);
                if (r == 0 ||
                    (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
                    error(i);
                    return;
                }
                if (r > 0) {
                    const uint64_t base = stream ? c.recvd % 89 : c.recvd;
                    if (check &&
                        !std::equal(rbuf_.begin(), rbuf_.begin() + r,
                                    pattern_.begin() + static_cast<std::ptrdiff_t>(base))) {
                        error(i);
                        return;
                    }
                    const uint64_t before = c.recvd;
                    c.recvd += static_cast<uint64_t>(r);
                    progressed = true;
                    if (stream)
                        stream_done(before, c.recvd, static_cast<uint64_t>(r));
                    else if (c.recvd == request_) {
                        if (!complete(i))
                            return;
                        completed = true;
                    }
                }
            }
            if (!progressed)
                break;
        }
        const bool want_out = stream ? c.sent < c.recvd + window_ : c.sent < request_;
        watch(i, want_out ? EPOLLIN | EPOLLOUT : EPOLLIN);
    }

    void count(uint64_t now, uint64_t latency, uint64_t bytes) {
        if (!measuring(now))
            return;
        const uint64_t n = s_.measured.fetch_add(1, std::memory_order_relaxed) + 1;
        if ((o_.requests != 0U) && n > o_.requests) {
            s_.stop = true;
            return;
        }
        if ((o_.requests != 0U) && n == o_.requests)
            s_.stop = true;
        ++result_.requests;
        result_.bytes += bytes;
        if (latency != 0U)
            result_.latency.record(latency);
        live_.requests.fetch_add(1, std::memory_order_relaxed);
    }

    void stream_done(uint64_t before, uint64_t after, uint64_t bytes) {
        const uint64_t now = now_ns();
        // One "request" per --size bytes echoed.
        const uint64_t reqs = after / o_.size - before / o_.size;
        if (measuring(now))
            result_.bytes += bytes;
        for (uint64_t k = 0; k < reqs; ++k)
            count(now, 0, 0);
    }

    // A whole echo came back. False if the connection was replaced.
    bool complete(std::size_t i) {
        Conn& c = conns_[i];
        const uint64_t now = now_ns();
        count(now, now - c.t0, o_.size);
        if (o_.mode == Mode::crr) {
            c.fd.reset();
            c.state = Conn::down;
            open(i);
            return false;
        }
        c.t0 = now;
        c.sent = c.recvd = 0;
        return true;
    }

    RunState& s_;
    const Options& o_;
    std::vector<Conn> conns_;
    Counters& live_;
    UniqueFd epoll_;
    std::vector<char> pattern_; // framed: the length header, then the pattern
    uint64_t request_ = 0;      // bytes per request and per echo
    uint64_t window_ = 0;       // stream: bytes in flight per connection, at most
    std::vector<char> rbuf_;
    Result result_;
    bool retry_pending_ = false;
};

} // namespace

Result run_load(const Options& o, const Target& t) {
    const unsigned nt = std::min(thread_count(o), o.conns);
    RunState s{o, t, make_window(o)};
    const Window& w = s.w;
    std::vector<Counters> live(nt);
    std::vector<std::unique_ptr<LoadWorker>> workers;
    std::vector<std::function<void()>> bodies;
    std::vector<const Result*> parts;
    for (unsigned i = 0; i < nt; ++i) {
        workers.push_back(std::make_unique<LoadWorker>(s, share_of(o.conns, i, nt), live[i]));
        bodies.emplace_back([wk = workers.back().get()] { wk->run(); });
        parts.push_back(&workers.back()->result());
    }
    const RunEnd end = run_threads(o, bodies, s.stop, w, live, to_string(o.mode));
    return merge_parts(o, to_string(o.mode), nt, w, end, parts);
}

} // namespace kecho::bench
