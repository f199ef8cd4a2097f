// payload --size N: N random bytes echoed exactly, writer and reader
// running concurrently on one connection. Pacing, to reach other paths in
// the server: --write-chunk B (at most B bytes per send, with TCP_NODELAY so
// they leave as separate segments), --write-pause-ms M (sleep after each
// piece), --read-chunk B and --read-pause-ms M (a slow reader), --rcvbuf B
// (a small receive window). After the echo the client half-closes: the
// server must close too, with not one byte more than was sent.
#include "commands.h"
#include "error.h"
#include "net.h"
#include "options.h"
#include "payload.h"
#include "roundtrip.h"

#include <chrono>
#include <cstdio>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace kecho::testclient {

int cmd_payload(const Argv& argv) {
    const Args args(argv, net_options({"size", "seed", "write-chunk", "write-pause-ms",
                                       "read-chunk", "read-pause-ms", "rcvbuf"}));
    const Endpoint ep = endpoint_from(args);
    const std::size_t size = args.num("size", 1024);
    const std::uint64_t seed = args.num("seed", fresh_seed());
    const auto data = random_payload(size, seed);
    const Pacing pacing{args.num("write-chunk", 0), args.num("read-chunk", 0),
                        std::chrono::milliseconds(args.num("read-pause-ms", 0)),
                        std::chrono::milliseconds(args.num("write-pause-ms", 0))};
    const auto start = Clock::now();
    const UniqueFd fd = connect_blocking(ep, io_timeout(args));
    const int one = 1;
    const auto rcvbuf = static_cast<int>(args.num("rcvbuf", 0));
    if ((pacing.write_chunk != 0 &&
         ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0) ||
        (rcvbuf != 0 &&
         ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) != 0))
        throw_errno("payload: setsockopt");
    RoundTrip r = echo_round_trip(fd.get(), data, pacing);
    if (r.ok) {
        r.why = expect_eof_after_echo(fd.get());
        r.ok = r.why.empty();
    }
    const char* fam = ep.family == AF_INET6 ? "IPv6" : "IPv4";
    if (!r.ok) {
        std::printf("payload: FAIL: %zu bytes over %s to %s (seed %llu): %s\n", size, fam,
                    ep.describe().c_str(), static_cast<unsigned long long>(seed), r.why.c_str());
        return 1;
    }
    std::printf("payload: %zu bytes echoed exactly over %s to %s in %.2f s\n", size, fam,
                ep.describe().c_str(), seconds_since(start));
    return 0;
}

} // namespace kecho::testclient
