// msgpart --len L [--send B] [--order be|le] [--ready FILE] [--hold S]
//         [--rst 1] [--any-close 1] [--min-close S]
// A header announcing an L-byte body (any 32-bit value: more than max_msg
// to be refused), then only B bytes of that body (default: all of it).
// Once the server has acknowledged every byte, FILE is created; then:
//   --rst 1      the client vanishes: closes at once with an RST (SO_LINGER
//                0) and exits 0;
//   otherwise    it reads for up to S seconds (default 30). A complete
//                message must come back exactly (exit 0). For an incomplete
//                one it waits for the server to end the connection: EOF is
//                a pass; a reset fails with "Connection reset by peer" (for
//                check_errno ECONNRESET) unless --any-close 1; still open
//                after S seconds fails; so does a close sooner than
//                --min-close S seconds after the last byte was sent.
// What the server echoed meanwhile must be a prefix of what was sent (the
// line reports how much).
#include "commands.h"
#include "error.h"
#include "msg_frame.h"
#include "net.h"
#include "options.h"
#include "payload.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <thread>
#include <vector>

namespace kecho::testclient {

namespace {

// Waits (up to 10 s) until the peer acknowledged everything sent.
bool wait_acked(int fd) {
    const auto end = Clock::now() + std::chrono::seconds(10);
    for (;;) {
        int unacked = 0;
        if (::ioctl(fd, TIOCOUTQ, &unacked) != 0 || unacked == 0)
            return true;
        if (Clock::now() > end)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

} // namespace

int cmd_msgpart(const Argv& argv) {
    const Args args(argv, net_options({"len", "send", "order", "ready", "hold", "rst", "any-close",
                                       "min-close", "seed"}));
    const Endpoint ep = endpoint_from(args);
    if (!args.has("len"))
        throw std::invalid_argument("--len is required");
    const std::uint64_t len = args.num("len", 0);
    if (len > UINT32_MAX)
        throw std::invalid_argument("--len must fit 32 bits");
    const std::size_t send_body = args.num("send", len);
    if (send_body > len)
        throw std::invalid_argument("--send cannot exceed --len");
    const ByteOrder order = parse_order(args.str("order", "be"));
    const auto hold = std::chrono::seconds(args.num("hold", 30));
    const auto min_close = std::chrono::seconds(args.num("min-close", 0));
    const bool complete = send_body == len;

    std::vector<std::uint8_t> out(kHeaderSize);
    const auto h = encode_length(static_cast<std::uint32_t>(len), order);
    std::copy(h.begin(), h.end(), out.begin());
    const auto body = random_payload(send_body, args.num("seed", fresh_seed()));
    out.insert(out.end(), body.begin(), body.end());

    const UniqueFd fd = connect_blocking(ep, hold);
    const std::string what =
        std::string(complete ? "a complete " : "a partial ") + std::to_string(len) +
        "-byte message (" + order_name(order) + " header" +
        (complete ? "" : " + " + std::to_string(send_body) + " body bytes") + ")";
    // The reset may come while writing (it ends what we could not send).
    std::string write_error;
    try {
        write_all(fd.get(), out);
    } catch (const std::exception& e) {
        write_error = e.what();
    }
    const auto sent_at = Clock::now();
    if (write_error.empty() && !wait_acked(fd.get()))
        write_error = "the server did not acknowledge the bytes within 10 s";
    if (args.has("ready"))
        std::ofstream(args.str("ready", "")) << "ready\n";

    if (args.has("rst") && args.num("rst", 0) != 0) {
        const linger lg{1, 0};
        if (::setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) != 0)
            throw_errno("msgpart: SO_LINGER");
        std::printf("msgpart: sent %s to %s, then reset the connection%s%s\n", what.c_str(),
                    ep.describe().c_str(),
                    write_error.empty() ? "" : "; write: ", write_error.c_str());
        return 0; // the UniqueFd closes with an RST
    }

    std::vector<std::uint8_t> got;
    std::vector<std::uint8_t> buf(65536);
    bool eof = false;
    int err = 0;
    for (;;) {
        if (complete && got.size() == out.size())
            break;
        const ssize_t n = ::recv(fd.get(), buf.data(), buf.size(), 0);
        if (n == 0) {
            eof = true;
            break;
        }
        if (n < 0) {
            if (errno == EINTR)
                continue;
            err = errno;
            break;
        }
        got.insert(got.end(), buf.begin(), buf.begin() + n);
    }
    const double after = std::chrono::duration<double>(Clock::now() - sent_at).count();
    std::string echoed = std::to_string(got.size()) + " byte(s) echoed";
    if (got.size() > out.size()) {
        std::printf("msgpart: FAIL: %s: %zu bytes came back, more than the %zu sent\n",
                    what.c_str(), got.size(), out.size());
        return 1;
    }
    if (auto off = first_mismatch(got, out)) {
        std::printf("msgpart: FAIL: %s: the echo differs at %s\n", what.c_str(),
                    describe_mismatch(*off, got[*off], out[*off]).c_str());
        return 1;
    }
    const std::string we = write_error.empty() ? "" : " (write: " + write_error + ")";
    if (complete && got.size() == out.size()) {
        std::printf("msgpart: %s echoed exactly in %.2f s\n", what.c_str(), after);
        return 0;
    }
    if (err == EAGAIN || err == EWOULDBLOCK) {
        std::printf("msgpart: FAIL: %s: still open %.1f s after it was sent, %s%s\n", what.c_str(),
                    after, echoed.c_str(), we.c_str());
        return 1;
    }
    if (!eof) {
        const bool ok =
            args.num("any-close", 0) != 0 && after >= static_cast<double>(min_close.count());
        std::printf("msgpart: %s%s: read: %s %.2f s after it was sent, %s%s\n",
                    ok ? "" : "FAIL: ", what.c_str(), std::strerror(err), after, echoed.c_str(),
                    we.c_str());
        return ok ? 0 : 1;
    }
    if (complete) {
        std::printf("msgpart: FAIL: %s: EOF after %s%s\n", what.c_str(), echoed.c_str(),
                    we.c_str());
        return 1;
    }
    if (!write_error.empty() && args.num("any-close", 0) == 0) {
        // The reset reached the writer first (the read then sees only EOF).
        std::printf("msgpart: FAIL: %s: EOF %.2f s after it was sent, %s; write: %s\n",
                    what.c_str(), after, echoed.c_str(), write_error.c_str());
        return 1;
    }
    if (after < static_cast<double>(min_close.count())) {
        std::printf("msgpart: FAIL: %s: closed (EOF) %.2f s after it was sent, sooner than %lld "
                    "s, %s\n",
                    what.c_str(), after, static_cast<long long>(min_close.count()), echoed.c_str());
        return 1;
    }
    std::printf("msgpart: %s: closed by the server (EOF) %.2f s after it was sent, %s%s\n",
                what.c_str(), after, echoed.c_str(), we.c_str());
    return 0;
}

} // namespace kecho::testclient
