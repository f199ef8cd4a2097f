// slowread --size N --rcvbuf B --pause S [--read-timeout S] [--sndbuf B]
// [--rcvbuf-after 1]: a slow, small-window reader. It sets a B-byte receive
// buffer (0: the kernel's default) before connecting (or after, with
// --rcvbuf-after 1: the window scale then fits the default buffer, and a
// 64 KiB loopback segment overflows the small one, so the sender must
// retransmit and back off),
// sends N bytes, shuts its write side, reads nothing for S seconds, then
// reads with a generous timeout per read. Every byte must come back, then
// an orderly EOF: a server that lets go of the connection early (leaving
// the kernel an orphan to deliver the rest) loses the tail. --sndbuf sets a
// send buffer (SO_SNDBUFFORCE, root) that can hold all N bytes, so the
// write side is shut at once and the echo flows while this end is
// half-closed.
#include "commands.h"
#include "error.h"
#include "net.h"
#include "options.h"
#include "payload.h"
#include "roundtrip.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <vector>

namespace kecho::testclient {

namespace {

void set_rcvbuf(int fd, int rcvbuf) {
    if (rcvbuf != 0 && ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) != 0)
        throw_errno("setsockopt SO_RCVBUF");
}

UniqueFd connect_small_window(const Endpoint& ep, int rcvbuf, bool rcvbuf_after, int sndbuf,
                              std::chrono::seconds timeout) {
    UniqueFd fd(::socket(ep.family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd)
        throw_errno("socket");
    if (!rcvbuf_after)
        set_rcvbuf(fd.get(), rcvbuf);
    if (sndbuf != 0 &&
        ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)) != 0)
        throw_errno("setsockopt SO_SNDBUFFORCE");
    set_io_timeouts(fd.get(), timeout);
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&ep.addr), ep.addr_len) != 0)
        throw_errno("connect " + ep.describe());
    if (rcvbuf_after)
        set_rcvbuf(fd.get(), rcvbuf);
    return fd;
}

} // namespace

int cmd_slowread(const Argv& argv) {
    const Args args(
        argv, net_options({"size", "rcvbuf", "rcvbuf-after", "sndbuf", "pause", "read-timeout"}));
    const Endpoint ep = endpoint_from(args);
    const std::size_t size = args.num("size", 1 << 20);
    const auto rcvbuf = static_cast<int>(args.num("rcvbuf", 4096));
    const auto sndbuf = static_cast<int>(args.num("sndbuf", 0));
    const bool rcvbuf_after = args.num("rcvbuf-after", 0) != 0;
    const auto pause = std::chrono::seconds(args.num("pause", 10));
    const auto read_timeout = std::chrono::seconds(args.num("read-timeout", 60));
    const auto data = random_payload(size, fresh_seed());
    const UniqueFd fd = connect_small_window(ep, rcvbuf, rcvbuf_after, sndbuf, read_timeout);

    std::string write_error;
    std::atomic<bool> written{false};
    std::vector<std::uint8_t> got;
    got.reserve(size);
    std::string read_error;
    const auto start = Clock::now();
    double write_done_s = 0;
    {
        std::jthread writer([&] {
            try {
                write_all(fd.get(), data);
                if (::shutdown(fd.get(), SHUT_WR) != 0)
                    throw_errno("shutdown(SHUT_WR)");
                write_done_s = seconds_since(start);
            } catch (const std::exception& e) {
                write_error = e.what();
            }
            written = true;
        });
        // Read nothing for `pause` after the write side is shut. A server
        // that stops reading until its echo drains could hold the writer
        // up: then the pause starts after `pause` seconds of waiting.
        const auto wait_until = Clock::now() + pause;
        while (!written && Clock::now() < wait_until)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        std::this_thread::sleep_for(pause);

        read_error = read_to_eof(fd.get(), got,
                                 "no data for " + std::to_string(read_timeout.count()) + " s");
    }
    const double total_s = seconds_since(start);
    const std::string where = " (" + std::to_string(got.size()) + " of " + std::to_string(size) +
                              " bytes back in " + std::to_string(static_cast<int>(total_s)) + " s)";
    if (const std::string why = judge_echo(got, data, write_error, read_error); !why.empty()) {
        std::printf("slowread: FAIL: %s%s\n", why.c_str(), where.c_str());
        return 1;
    }
    std::printf("slowread: all %zu bytes back exactly, then EOF (rcvbuf %d, written and shut "
                "after %.1f s, %lld s pause, done after %.1f s)\n",
                size, rcvbuf, write_done_s, static_cast<long long>(pause.count()), total_s);
    return 0;
}

} // namespace kecho::testclient
