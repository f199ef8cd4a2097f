// stuck --seconds S [--rcvbuf B] [--size N] [--shut 1]: a peer that stops
// reading for good. It writes until the server stops taking its bytes (the
// server's echo has filled this client's small receive window), or N bytes
// (then shuts its write side with --shut 1), then holds the connection
// S seconds without reading, and finally tries one more write to learn
// whether the server is still there. It reports; the case checks the
// server's side (was the connection dropped, and counted).
#include "commands.h"
#include "error.h"
#include "net.h"
#include "options.h"
#include "payload.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <thread>

namespace kecho::testclient {

int cmd_stuck(const Argv& argv) {
    const Args args(argv, net_options({"seconds", "rcvbuf", "size", "shut"}));
    const Endpoint ep = endpoint_from(args);
    const auto hold = std::chrono::seconds(args.num("seconds", 30));
    const auto rcvbuf = static_cast<int>(args.num("rcvbuf", 4096));
    const std::uint64_t limit = args.num("size", UINT64_MAX);

    UniqueFd fd(::socket(ep.family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd)
        throw_errno("socket");
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) != 0)
        throw_errno("setsockopt SO_RCVBUF");
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&ep.addr), ep.addr_len) != 0)
        throw_errno("connect " + ep.describe());
    set_nonblocking(fd.get());

    // Write until nothing has been taken for a second.
    const auto chunk = random_payload(65536, fresh_seed());
    std::uint64_t written = 0;
    auto last = Clock::now();
    while (written < limit && Clock::now() - last < std::chrono::seconds(1)) {
        pollfd p{fd.get(), POLLOUT, 0};
        if (::poll(&p, 1, 100) <= 0)
            continue;
        const std::size_t len = std::min<std::uint64_t>(chunk.size(), limit - written);
        const ssize_t n = ::send(fd.get(), chunk.data(), len, MSG_NOSIGNAL);
        if (n > 0) {
            written += static_cast<std::uint64_t>(n);
            last = Clock::now();
        } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
            throw_errno("send after " + std::to_string(written) + " bytes");
        }
    }
    if (args.has("shut") && ::shutdown(fd.get(), SHUT_WR) != 0)
        throw_errno("shutdown(SHUT_WR)");
    std::printf("stuck: wrote %llu bytes, now holding %lld s without reading\n",
                static_cast<unsigned long long>(written), static_cast<long long>(hold.count()));
    std::fflush(stdout);
    std::this_thread::sleep_for(hold);

    // A dropped connection answers this end's next window probe with a
    // reset; the probes back off, so allow up to 30 s for one.
    const std::uint8_t byte = 0;
    std::string after = args.has("shut") ? "write side shut, not probed" : "still connected";
    for (int i = 0; i < 300 && !args.has("shut"); ++i) {
        if (::send(fd.get(), &byte, 1, MSG_NOSIGNAL) < 0 && errno != EAGAIN) {
            after = errno_message(errno, "send");
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::printf("stuck: after the hold: %s\n", after.c_str());
    return 0;
}

} // namespace kecho::testclient
