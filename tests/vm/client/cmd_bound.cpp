// bound --local-port P [--seconds S] [--ready FILE]: a connection from a
// fixed local port (SO_REUSEADDR, so a TIME_WAIT left on that port by an
// earlier run can be reused, as loopback's tcp_tw_reuse allows once a
// second has passed; connect is retried for up to 10 s meanwhile). One
// round trip, then: with S = 0, close at once (this end is the active
// closer, so the tuple is left in TIME_WAIT); else FILE is created, the
// connection is held S seconds and a second round trip must match too.
#include "commands.h"
#include "error.h"
#include "net.h"
#include "options.h"
#include "payload.h"
#include "roundtrip.h"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>

namespace kecho::testclient {

namespace {

UniqueFd connect_from(const Endpoint& ep, std::uint16_t local_port, std::chrono::seconds timeout) {
    sockaddr_storage local{};
    socklen_t local_len = ep.addr_len;
    std::memcpy(&local, &ep.addr, ep.addr_len); // the loopback address, as the server's
    if (ep.family == AF_INET)
        reinterpret_cast<sockaddr_in*>(&local)->sin_port = htons(local_port);
    else
        reinterpret_cast<sockaddr_in6*>(&local)->sin6_port = htons(local_port);

    const auto give_up = Clock::now() + std::chrono::seconds(10);
    for (;;) {
        UniqueFd fd(::socket(ep.family, SOCK_STREAM | SOCK_CLOEXEC, 0));
        if (!fd)
            throw_errno("socket");
        const int on = 1;
        if (::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0)
            throw_errno("setsockopt SO_REUSEADDR");
        set_io_timeouts(fd.get(), timeout);
        if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&local), local_len) == 0 &&
            ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&ep.addr), ep.addr_len) == 0)
            return fd;
        // A TIME_WAIT younger than a second is not reused yet.
        if ((errno != EADDRNOTAVAIL && errno != EADDRINUSE) || Clock::now() > give_up)
            throw_errno("bind and connect from port " + std::to_string(local_port));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

} // namespace

int cmd_bound(const Argv& argv) {
    const Args args(argv, net_options({"local-port", "seconds", "ready"}));
    const Endpoint ep = endpoint_from(args);
    const std::uint64_t local_port = args.num("local-port", 0);
    if (local_port == 0 || local_port > 65535)
        throw std::invalid_argument("--local-port must be 1..65535");
    const auto hold = std::chrono::seconds(args.num("seconds", 0));
    const UniqueFd fd = connect_from(ep, static_cast<std::uint16_t>(local_port), io_timeout(args));

    if (const RoundTrip r = echo_round_trip(fd.get(), random_payload(1024, fresh_seed())); !r.ok) {
        std::printf("bound: FAIL: first round trip: %s\n", r.why.c_str());
        return 1;
    }
    if (hold.count() == 0) {
        std::printf("bound: port %llu echoed, closed first (TIME_WAIT here)\n",
                    static_cast<unsigned long long>(local_port));
        return 0;
    }
    if (args.has("ready"))
        std::ofstream(args.str("ready", "")) << "ready\n";
    std::this_thread::sleep_for(hold);
    if (const RoundTrip r = echo_round_trip(fd.get(), random_payload(1024, fresh_seed())); !r.ok) {
        std::printf("bound: FAIL: round trip after %lld s: %s\n",
                    static_cast<long long>(hold.count()), r.why.c_str());
        return 1;
    }
    std::printf("bound: port %llu still echoed exactly after %lld s\n",
                static_cast<unsigned long long>(local_port), static_cast<long long>(hold.count()));
    return 0;
}

} // namespace kecho::testclient
