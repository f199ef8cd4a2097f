// noread --seconds S: one client writes as fast as it can and never reads.
// Meanwhile fresh clients must still get exact echoes, the server must stop
// taking the stalled client's bytes (its writes stall: backpressure), and
// the peaks of kecho's `buffered` and the kernel's TCP memory are reported
// (and checked with --max-buffered BYTES / --max-tcp-mem PAGES).
#include "commands.h"
#include "net.h"
#include "options.h"
#include "payload.h"
#include "proc_stats.h"
#include "roundtrip.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <vector>

namespace kecho::testclient {

namespace {

struct Staller {
    std::atomic<std::uint64_t> written{0};
    std::atomic<std::int64_t> last_progress_ms{0};
    std::atomic<bool> stop{false};
    std::string error;
};

std::int64_t ms_since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

void stall_writer(int fd, Staller& s, Clock::time_point start) {
    const auto chunk = random_payload(65536, fresh_seed());
    while (!s.stop) {
        pollfd p{fd, POLLOUT, 0};
        if (::poll(&p, 1, 100) <= 0)
            continue;
        const ssize_t n = ::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL);
        if (n > 0) {
            s.written += static_cast<std::uint64_t>(n);
            s.last_progress_ms = ms_since(start);
        } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
            s.error = std::string("send: ") + std::strerror(errno);
            return;
        }
    }
}

} // namespace

int cmd_noread(const Argv& argv) {
    const Args args(argv, net_options({"seconds", "probe-size", "max-buffered", "max-tcp-mem"}));
    const Endpoint ep = endpoint_from(args);
    const auto seconds = static_cast<std::int64_t>(args.num("seconds", 10));
    const std::size_t probe_size = args.num("probe-size", 65536);
    const auto timeout = io_timeout(args);

    const UniqueFd stalled = connect_blocking(ep, timeout);
    set_nonblocking(stalled.get());
    Staller st;
    const auto start = Clock::now();
    std::jthread writer([&] { stall_writer(stalled.get(), st, start); });

    std::uint64_t peak_buffered = 0;
    std::uint64_t peak_mem = 0;
    bool have_buffered = false;
    int probes_ok = 0;
    int probes = 0;
    std::string probe_error;
    while (ms_since(start) < seconds * 1000) {
        if (auto b = kecho_counter("buffered")) {
            have_buffered = true;
            peak_buffered = std::max(peak_buffered, *b);
        }
        if (auto m = tcp_mem_pages())
            peak_mem = std::max(peak_mem, *m);
        ++probes;
        try {
            const UniqueFd fd = connect_blocking(ep, timeout);
            const RoundTrip r = echo_round_trip(fd.get(), random_payload(probe_size, fresh_seed()));
            if (r.ok)
                ++probes_ok;
            else if (probe_error.empty())
                probe_error = r.why;
        } catch (const std::exception& e) {
            if (probe_error.empty())
                probe_error = e.what();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    // Last samples, with the stalled client still connected.
    if (auto b = kecho_counter("buffered"))
        peak_buffered = std::max(peak_buffered, *b);
    if (auto m = tcp_mem_pages())
        peak_mem = std::max(peak_mem, *m);
    st.stop = true;
    writer.join();

    const std::int64_t elapsed_ms = ms_since(start);
    const std::int64_t idle_ms = elapsed_ms - st.last_progress_ms;
    const std::string buffered_text = have_buffered ? std::to_string(peak_buffered) : "n/a";
    std::array<char, 512> summary{};
    std::snprintf(summary.data(), summary.size(),
                  "stalled client wrote %llu bytes, last progress at %.1f s of %.1f s; "
                  "%d/%d other round trips of %zu bytes ok; peak kecho buffered %s bytes; "
                  "peak TCP mem %llu pages",
                  static_cast<unsigned long long>(st.written.load()),
                  static_cast<double>(st.last_progress_ms) / 1000.0,
                  static_cast<double>(elapsed_ms) / 1000.0, probes_ok, probes, probe_size,
                  buffered_text.c_str(), static_cast<unsigned long long>(peak_mem));

    std::vector<std::string> problems;
    if (!st.error.empty())
        problems.emplace_back("stalled client: " + st.error);
    if (probes_ok != probes || probes == 0)
        problems.emplace_back("other clients not served: " + probe_error);
    // Backpressure: the never-reading client must be stuck for the last
    // quarter of the run (at least 1 s), not still pushing data.
    if (idle_ms < std::max<std::int64_t>(1000, elapsed_ms / 4))
        problems.emplace_back("the never-reading client's writes never stalled");
    if (args.has("max-buffered") && (!have_buffered || peak_buffered > args.num("max-buffered", 0)))
        problems.emplace_back("kecho buffered above " + args.str("max-buffered", ""));
    if (args.has("max-tcp-mem") && peak_mem > args.num("max-tcp-mem", 0))
        problems.emplace_back("TCP mem above " + args.str("max-tcp-mem", "") + " pages");

    if (!problems.empty()) {
        std::string why;
        for (const auto& p : problems)
            why += p + "; ";
        std::printf("noread: FAIL: %s(%s)\n", why.c_str(), summary.data());
        return 1;
    }
    std::printf("noread: %s\n", summary.data());
    return 0;
}

} // namespace kecho::testclient
