// urgent [--rounds N]: TCP urgent data is part of the byte stream. Each
// round sends a message of 1 to 256 bytes with MSG_OOB (its last byte is
// the urgent one), or in two sends, the second urgent. Every byte must come
// back in order, as ordinary data: a server that reads without
// SO_OOBINLINE loses the urgent byte.
#include "commands.h"
#include "error.h"
#include "net.h"
#include "options.h"
#include "payload.h"

#include <cstdio>
#include <random>
#include <sys/socket.h>
#include <vector>

namespace kecho::testclient {

namespace {

void send_all(int fd, const std::uint8_t* data, std::size_t len, int flags) {
    while (len > 0) {
        const ssize_t n = ::send(fd, data, len, flags | MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw_errno("send");
        }
        data += n;
        len -= static_cast<std::size_t>(n);
    }
}

} // namespace

int cmd_urgent(const Argv& argv) {
    const Args args(argv, net_options({"rounds"}));
    const Endpoint ep = endpoint_from(args);
    const std::uint64_t rounds = args.num("rounds", 100);
    const UniqueFd fd = connect_blocking(ep, io_timeout(args));
    std::mt19937_64 rng(fresh_seed());

    std::uint64_t bytes = 0;
    for (std::uint64_t r = 0; r < rounds; ++r) {
        const std::size_t len = 1 + rng() % 256;
        const auto msg = random_payload(len, rng());
        const std::size_t split = (rng() % 2) != 0 ? len - 1 : 0;
        send_all(fd.get(), msg.data(), split, 0);
        send_all(fd.get(), msg.data() + split, len - split, MSG_OOB);

        std::vector<std::uint8_t> got(len);
        const std::size_t n = read_full(fd.get(), got);
        got.resize(n);
        if (auto off = first_mismatch(got, msg)) {
            std::printf("urgent: FAIL: round %llu: %s\n", static_cast<unsigned long long>(r),
                        describe_mismatch(*off, got[*off], msg[*off]).c_str());
            return 1;
        }
        if (n != len) {
            std::printf("urgent: FAIL: round %llu: EOF after %zu of %zu bytes\n",
                        static_cast<unsigned long long>(r), n, len);
            return 1;
        }
        bytes += len;
    }
    std::printf("urgent: %llu messages ending in an urgent byte (%llu bytes) echoed exactly\n",
                static_cast<unsigned long long>(rounds), static_cast<unsigned long long>(bytes));
    return 0;
}

} // namespace kecho::testclient
