// chatbad --len L [--send B] [--order be|le] [--hold S] [--any-close 1]
//         [--min-close S] [--ready F]
// A chat client that misbehaves as msgpart does (a header announcing an
// L-byte body, then only B bytes of it: an oversize header, or a stalled
// message) while reading, and discarding, whatever the room sends it
// meanwhile (it must not be dropped as slow instead). F is created once the
// server acknowledged every byte. Then, for up to S seconds (30), it waits
// for the server to end the connection: EOF passes; a reset fails with
// "Connection reset by peer" (for check_errno ECONNRESET) unless
// --any-close 1; still open after S seconds fails, so does a close sooner
// than --min-close S seconds after the last byte was sent.
#include "commands.h"
#include "error.h"
#include "msg_frame.h"
#include "net.h"
#include "options.h"
#include "payload.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <vector>

namespace kecho::testclient {

int cmd_chatbad(const Argv& argv) {
    const Args args(argv, net_options({"len", "send", "order", "hold", "any-close", "min-close",
                                       "ready", "seed"}));
    const Endpoint ep = endpoint_from(args);
    if (!args.has("len"))
        throw std::invalid_argument("--len is required");
    const std::uint64_t len = args.num("len", 0);
    if (len > UINT32_MAX)
        throw std::invalid_argument("--len must fit 32 bits");
    const std::size_t send_body = args.num("send", 0);
    if (send_body >= len)
        throw std::invalid_argument("--send must be less than --len (the message stays partial)");
    const ByteOrder order = parse_order(args.str("order", "be"));
    const auto hold = std::chrono::seconds(args.num("hold", 30));
    const double min_close = static_cast<double>(args.num("min-close", 0));
    const bool any_close = args.num("any-close", 0) != 0;

    std::vector<std::uint8_t> out(kHeaderSize);
    const auto h = encode_length(static_cast<std::uint32_t>(len), order);
    std::copy(h.begin(), h.end(), out.begin());
    const auto body = random_payload(send_body, args.num("seed", fresh_seed()));
    out.insert(out.end(), body.begin(), body.end());
    const std::string what = "a partial " + std::to_string(len) + "-byte chat message (" +
                             order_name(order) + " header + " + std::to_string(send_body) +
                             " body bytes)";

    const UniqueFd fd = connect_blocking(ep, hold);
    set_nonblocking(fd.get());
    std::uint64_t drained = 0;
    int err = 0;
    bool eof = false;
    std::vector<std::uint8_t> buf(65536);
    // Reads what is there; false once the connection ended.
    auto drain = [&] {
        for (;;) {
            const ssize_t n = ::recv(fd.get(), buf.data(), buf.size(), 0);
            if (n > 0) {
                drained += static_cast<std::uint64_t>(n);
                continue;
            }
            if (n == 0)
                eof = true;
            else if (errno != EAGAIN && errno != EINTR)
                err = errno;
            return n < 0 && (errno == EAGAIN || errno == EINTR);
        }
    };
    std::size_t off = 0;
    const auto deadline = Clock::now() + hold;
    while (off < out.size() && Clock::now() < deadline) {
        const ssize_t n = ::send(fd.get(), out.data() + off, out.size() - off, MSG_NOSIGNAL);
        if (n > 0)
            off += static_cast<std::size_t>(n);
        else if (n < 0 && errno != EAGAIN && errno != EINTR) {
            err = errno;
            break;
        }
        if (!drain())
            break;
        pollfd p{fd.get(), POLLIN | POLLOUT, 0};
        ::poll(&p, 1, 20);
    }
    const auto sent_at = Clock::now();
    bool ready = false;
    while (err == 0 && !eof && Clock::now() < sent_at + hold) {
        int unacked = 0;
        if (!ready && off == out.size() && ::ioctl(fd.get(), TIOCOUTQ, &unacked) == 0 &&
            unacked == 0) {
            ready = true;
            if (args.has("ready"))
                std::ofstream(args.str("ready", "")) << "ready\n";
        }
        if (!drain())
            break;
        pollfd p{fd.get(), POLLIN, 0};
        ::poll(&p, 1, 20);
    }
    const double after = std::chrono::duration<double>(Clock::now() - sent_at).count();
    const std::string got = std::to_string(drained) + " byte(s) of the room's messages read";
    if (err == 0 && !eof) {
        std::printf("chatbad: FAIL: %s: still open %.1f s after it was sent, %s\n", what.c_str(),
                    after, got.c_str());
        return 1;
    }
    if (after < min_close) {
        std::printf("chatbad: FAIL: %s: closed (%s) %.2f s after it was sent, sooner than %.0f s\n",
                    what.c_str(), eof ? "EOF" : errno_message(err, "read").c_str(), after,
                    min_close);
        return 1;
    }
    if (err != 0) {
        const bool ok = any_close;
        std::printf("chatbad: %s%s: %s %.2f s after it was sent, %s\n",
                    ok ? "" : "FAIL: ", what.c_str(), errno_message(err, "read").c_str(), after,
                    got.c_str());
        return ok ? 0 : 1;
    }
    std::printf("chatbad: %s: closed by the server (EOF) %.2f s after it was sent, %s\n",
                what.c_str(), after, got.c_str());
    return 0;
}

} // namespace kecho::testclient
