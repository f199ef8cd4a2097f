// payload --size N: N random bytes echoed exactly, writer and reader
// running concurrently on one connection.
#include "commands.h"
#include "net.h"
#include "options.h"
#include "payload.h"
#include "roundtrip.h"

#include <cstdio>

namespace kecho::testclient {

int cmd_payload(const Argv& argv) {
    const Args args(argv, net_options({"size", "seed"}));
    const Endpoint ep = endpoint_from(args);
    const std::size_t size = args.num("size", 1024);
    const std::uint64_t seed = args.num("seed", fresh_seed());
    const auto data = random_payload(size, seed);
    const auto start = Clock::now();
    const UniqueFd fd = connect_blocking(ep, io_timeout(args));
    const RoundTrip r = echo_round_trip(fd.get(), data);
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
