// linger [--seconds S] [--size N] [--ready FILE]: one round trip, then stay
// connected S seconds (FILE is created once the first trip is done, so a
// test can change the server meanwhile), then a second round trip on the
// same connection. Both must match.
#include "commands.h"
#include "net.h"
#include "options.h"
#include "payload.h"
#include "roundtrip.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

namespace kecho::testclient {

int cmd_linger(const Argv& argv) {
    const Args args(argv, net_options({"seconds", "size", "ready"}));
    const Endpoint ep = endpoint_from(args);
    const std::size_t size = args.num("size", 4096);
    const auto pause = std::chrono::seconds(args.num("seconds", 5));
    const UniqueFd fd = connect_blocking(ep, io_timeout(args));

    const auto first = random_payload(size, fresh_seed());
    if (const RoundTrip r = echo_round_trip(fd.get(), first); !r.ok) {
        std::printf("linger: FAIL: first round trip: %s\n", r.why.c_str());
        return 1;
    }
    if (args.has("ready"))
        std::ofstream(args.str("ready", "")) << "ready\n";
    std::this_thread::sleep_for(pause);
    const auto second = random_payload(size, fresh_seed());
    if (const RoundTrip r = echo_round_trip(fd.get(), second); !r.ok) {
        std::printf("linger: FAIL: round trip after %lld s on the same connection: %s\n",
                    static_cast<long long>(pause.count()), r.why.c_str());
        return 1;
    }
    std::printf("linger: connection to %s still echoed %zu bytes exactly after %lld s\n",
                ep.describe().c_str(), size, static_cast<long long>(pause.count()));
    return 0;
}

} // namespace kecho::testclient
