// rr and crr with a blocking thread per connection (--client blocking).
// Per request the client makes a send, a recv and one clock read, with no
// epoll: run beside the epoll loop, it shows whether that loop is what
// bounds a run.
#include "modes.h"
#include "progress.h"
#include "timed_run.h"

#include <algorithm>
#include <atomic>
#include <sys/socket.h>
#include <sys/time.h>
#include <thread>

namespace kecho::bench {

namespace {

constexpr uint64_t kRetryNs = 10'000'000; // wait after a failed connect

// A connected blocking socket whose recv gives up after a second, so a
// stalled server cannot keep the thread past the end of the run.
UniqueFd connect_blocking(const Target& t) {
    UniqueFd fd(::socket(t.addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd)
        return fd;
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&t.addr), t.len) != 0)
        return {};
    set_nodelay(fd.get());
    const timeval tv{1, 0};
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return fd;
}

class BlockingConn {
  public:
    BlockingConn(RunState& run, Counters& live)
        : run_(run), o_(run.o), live_(live), request_(o_.size), reply_(o_.size) {
        for (std::size_t i = 0; i < request_.size(); ++i)
            request_[i] = pattern_at(i);
    }

    void operator()() {
        UniqueFd fd;
        uint64_t t0 = now_ns(); // start of this request (crr: of its connect)
        while (!run_.stop.load(std::memory_order_relaxed)) {
            if (!fd) {
                fd = connect_blocking(run_.t);
                if (!fd) {
                    bad(true);
                    std::this_thread::sleep_for(std::chrono::nanoseconds(kRetryNs));
                    t0 = now_ns();
                    continue;
                }
            }
            if (!send_all(fd.get()) || !recv_all(fd.get())) {
                if (!run_.stop.load(std::memory_order_relaxed))
                    bad(false);
                fd.reset();
                t0 = now_ns();
                continue;
            }
            const uint64_t t1 = now_ns();
            count(t1, t1 - t0);
            if (o_.mode == Mode::crr)
                fd.reset();
            t0 = t1; // one clock read per request
        }
    }

    const Result& result() const { return result_; }

  private:
    // A connect that failed, or else an echo that broke; counted once measuring.
    void bad(bool connect_failed) {
        if (now_ns() < run_.w.measure_from)
            return;
        ++(connect_failed ? result_.failures : result_.errors);
        (connect_failed ? live_.failures : live_.errors).fetch_add(1, std::memory_order_relaxed);
    }

    bool send_all(int fd) {
        std::size_t done = 0;
        while (done < request_.size()) {
            const ssize_t w =
                ::send(fd, request_.data() + done, request_.size() - done, MSG_NOSIGNAL);
            if (w <= 0 && errno != EINTR)
                return false;
            done += static_cast<std::size_t>(std::max<ssize_t>(w, 0));
        }
        return true;
    }

    // The whole echo, byte for byte; a timeout only ends it at the run's end.
    bool recv_all(int fd) {
        std::size_t done = 0;
        while (done < reply_.size()) {
            const ssize_t r = ::recv(fd, reply_.data() + done, reply_.size() - done, 0);
            if (r == 0)
                return false;
            if (r < 0) {
                if (errno == EINTR || ((errno == EAGAIN || errno == EWOULDBLOCK) &&
                                       !run_.stop.load(std::memory_order_relaxed)))
                    continue;
                return false;
            }
            done += static_cast<std::size_t>(r);
        }
        return reply_ == request_;
    }

    void count(uint64_t now, uint64_t latency) {
        if (now >= run_.w.measure_until)
            run_.stop = true;
        if (now < run_.w.measure_from)
            return;
        if (o_.requests != 0U) {
            const uint64_t n = run_.measured.fetch_add(1, std::memory_order_relaxed) + 1;
            if (n >= o_.requests)
                run_.stop = true;
            if (n > o_.requests)
                return;
        }
        ++result_.requests;
        result_.bytes += o_.size;
        result_.latency.record(latency);
        live_.requests.fetch_add(1, std::memory_order_relaxed);
    }

    RunState& run_;
    const Options& o_;
    Counters& live_;
    std::vector<char> request_;
    std::vector<char> reply_;
    Result result_;
};

} // namespace

Result run_load_blocking(const Options& o, const Target& t) {
    RunState run{o, t, make_window(o)};
    const Window& w = run.w;
    std::vector<Counters> live(o.conns);
    std::vector<std::unique_ptr<BlockingConn>> conns;
    std::vector<std::function<void()>> bodies;
    std::vector<const Result*> parts;
    conns.reserve(o.conns);
    for (unsigned i = 0; i < o.conns; ++i) {
        conns.push_back(std::make_unique<BlockingConn>(run, live[i]));
        bodies.emplace_back([c = conns.back().get()] { (*c)(); });
        parts.push_back(&conns.back()->result());
    }
    const RunEnd end = run_threads(o, bodies, run.stop, w, live, to_string(o.mode) + " (blocking)");
    // Its own mode name, so a report keeps the two clients' rows apart.
    return merge_parts(o, to_string(o.mode) + "-blocking", o.conns, w, end, parts);
}

} // namespace kecho::bench
