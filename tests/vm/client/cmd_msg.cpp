// msg --count N [--size N | --min-size A --max-size B] [--order be|le]
//     [--batch K] [--split B --pause-us U] [--seed S] [--window BYTES]
//     [--stall S [--ready FILE]]
// One connection to kecho in message mode: N seeded framed messages (size
// fixed, or spread over A..B with the edges and small sizes drawn often),
// written by one thread while this one reads, and every echoed frame
// checked whole, exact and in order. --batch K: K frames per write (many
// messages in one segment). --split B: the first B bytes of each frame go
// one byte per write, TCP_NODELAY, U µs apart (a header split across
// segments; B > 4 splits the body too). At the end the client half-closes
// and expects EOF with nothing more. --stall S: the reader starts only after
// S seconds (FILE is created when it stops), while the writer goes on
// without a window: the server must stop reading this client (backpressure:
// the writer blocks before it has written everything), and after the pause
// every message must still come back exact.
#include "commands.h"
#include "error.h"
#include "msg_frame.h"
#include "net.h"
#include "options.h"
#include "payload.h"
#include "roundtrip.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <thread>
#include <vector>

namespace kecho::testclient {

int cmd_msg(const Argv& argv) {
    const Args args(argv, net_options({"count", "size", "min-size", "max-size", "order", "batch",
                                       "split", "pause-us", "seed", "window", "stall", "ready"}));
    const Endpoint ep = endpoint_from(args);
    const std::size_t count = args.num("count", 100);
    MsgPlan plan;
    plan.seed = args.num("seed", fresh_seed());
    plan.min_size = args.num("min-size", args.num("size", 0));
    plan.max_size = args.num("max-size", args.num("size", 1024));
    if (plan.max_size < plan.min_size)
        throw std::invalid_argument("--max-size must be at least --min-size");
    const ByteOrder order = parse_order(args.str("order", "be"));
    const std::size_t batch = std::max<std::uint64_t>(args.num("batch", 1), 1);
    const std::size_t split = args.num("split", 0);
    const auto pause = std::chrono::microseconds(args.num("pause-us", 1000));
    const auto stall = std::chrono::seconds(args.num("stall", 0));
    const std::size_t window = std::max<std::uint64_t>(
        args.num("window", stall.count() != 0 ? UINT64_MAX / 2 : 4 << 20), 1);
    std::uint64_t total = 0;
    for (std::size_t k = 0; k < count; ++k)
        total += kHeaderSize + plan.size_of(k);

    const auto start = Clock::now();
    const UniqueFd fd = connect_blocking(ep, io_timeout(args));
    const int one = 1;
    if (split != 0 && ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0)
        throw_errno("msg: TCP_NODELAY");

    std::mutex mu;
    std::condition_variable cv;
    EchoChecker check(order);
    // cppcheck-suppress variableScope ; shared by the writer and reader threads
    bool reader_gone = false;
    std::string write_error;
    std::string read_error;
    std::atomic<std::uint64_t> bytes_sent{0};
    std::uint64_t sent_in_stall = 0;
    {
        std::jthread writer([&] {
            try {
                for (std::size_t k = 0; k < count;) {
                    std::vector<std::uint8_t> out;
                    const std::size_t end = split != 0 ? k + 1 : std::min(count, k + batch);
                    {
                        std::unique_lock lock(mu);
                        // Bound what is in flight (at least one batch goes).
                        cv.wait(lock, [&] { return reader_gone || check.outstanding() < window; });
                        if (reader_gone)
                            return;
                        for (; k < end; ++k) {
                            auto f = plan.framed(k, order);
                            out.insert(out.end(), f.begin(), f.end());
                            check.expect(std::move(f), k);
                        }
                    }
                    const auto bytes = std::span<const std::uint8_t>(out);
                    const std::size_t pieces = std::min(split, out.size());
                    for (std::size_t i = 0; i < pieces; ++i) {
                        write_all(fd.get(), bytes.subspan(i, 1));
                        std::this_thread::sleep_for(pause);
                    }
                    write_all(fd.get(), bytes.subspan(pieces));
                    bytes_sent += out.size();
                }
            } catch (const std::exception& e) {
                write_error = e.what();
            }
        });
        if (stall.count() != 0) {
            if (args.has("ready"))
                std::ofstream(args.str("ready", "")) << "stalled\n";
            std::this_thread::sleep_for(stall);
            sent_in_stall = bytes_sent.load();
        }
        std::vector<std::uint8_t> buf(65536);
        for (;;) {
            {
                const std::scoped_lock lock(mu);
                if (check.done() == count || check.failed())
                    break;
            }
            const ssize_t n = ::recv(fd.get(), buf.data(), buf.size(), 0);
            if (n == 0) {
                read_error = "EOF";
                break;
            }
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                read_error = errno == EAGAIN ? "timed out" : std::strerror(errno);
                break;
            }
            const std::scoped_lock lock(mu);
            check.feed(std::span(buf).first(static_cast<std::size_t>(n)));
            cv.notify_all();
        }
        {
            const std::scoped_lock lock(mu);
            reader_gone = true;
            cv.notify_all();
        }
        if (check.done() != count)
            ::shutdown(fd.get(), SHUT_RDWR); // unblock the writer
    }
    std::string why;
    if (check.failed())
        why = check.why();
    else if (!read_error.empty())
        why = "read: " + read_error + " with " + check.position() +
              (write_error.empty() ? "" : "; write: " + write_error);
    else if (!write_error.empty())
        why = "write: " + write_error;
    else
        why = expect_eof_after_echo(fd.get());
    if (why.empty() && stall.count() != 0 && sent_in_stall == total)
        why = "no backpressure: all " + std::to_string(total) +
              " bytes were written while the client was not reading";

    const char* fam = ep.family == AF_INET6 ? "IPv6" : "IPv4";
    const std::string what =
        std::to_string(count) + " messages (bodies " + std::to_string(plan.min_size) + ".." +
        std::to_string(plan.max_size) + " B, " + order_name(order) + ", " +
        (split != 0 ? "first " + std::to_string(split) + " B of each a byte per write"
                    : std::to_string(batch) + " per write") +
        ", seed " + std::to_string(plan.seed) + ") over " + fam;
    if (!why.empty()) {
        std::printf("msg: FAIL: %s: %s\n", what.c_str(), why.c_str());
        return 1;
    }
    std::string stalled;
    if (stall.count() != 0)
        stalled = "; " + std::to_string(sent_in_stall) + " of them written during the " +
                  std::to_string(stall.count()) + " s without reading";
    std::printf("msg: %s echoed exactly, whole and in order (%llu bytes%s) in %.2f s\n",
                what.c_str(), static_cast<unsigned long long>(bytes_sent.load()), stalled.c_str(),
                seconds_since(start));
    return 0;
}

} // namespace kecho::testclient
