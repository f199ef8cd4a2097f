#include "roundtrip.h"

#include "net.h"
#include "payload.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <exception>
#include <optional>
#include <sys/socket.h>
#include <thread>
#include <vector>

namespace kecho::testclient {

namespace {

void paced_write(int fd, std::span<const std::uint8_t> payload, const Pacing& pacing) {
    if (pacing.write_pause.count() == 0) {
        write_all(fd, payload, pacing.write_chunk);
        return;
    }
    const std::size_t chunk = pacing.write_chunk != 0 ? pacing.write_chunk : payload.size();
    for (std::size_t off = 0; off < payload.size(); off += chunk) {
        write_all(fd, payload.subspan(off, std::min(chunk, payload.size() - off)));
        std::this_thread::sleep_for(pacing.write_pause);
    }
}

} // namespace

RoundTrip echo_round_trip(int fd, std::span<const std::uint8_t> payload, const Pacing& pacing) {
    std::string write_error;
    std::string read_error;
    std::optional<std::size_t> bad;
    std::vector<std::uint8_t> got(payload.size());
    std::size_t n = 0;
    {
        std::jthread writer([&] {
            try {
                paced_write(fd, payload, pacing);
            } catch (const std::exception& e) {
                write_error = e.what();
            }
        });
        // Compare as data arrives, so a corrupting server fails at once.
        while (n < got.size()) {
            const std::size_t want = pacing.read_chunk != 0
                                         ? std::min(pacing.read_chunk, got.size() - n)
                                         : got.size() - n;
            const ssize_t r = ::recv(fd, got.data() + n, want, 0);
            if (r == 0)
                break;
            if (r < 0) {
                if (errno == EINTR)
                    continue;
                read_error = errno == EAGAIN ? "timed out" : std::strerror(errno);
                break;
            }
            const auto len = static_cast<std::size_t>(r);
            if (auto off =
                    first_mismatch(std::span(got).subspan(n, len), payload.subspan(n, len))) {
                bad = n + *off;
                break;
            }
            n += len;
            if (pacing.read_pause.count() != 0)
                std::this_thread::sleep_for(pacing.read_pause);
        }
        if (n < got.size())
            ::shutdown(fd, SHUT_RDWR); // unblock the writer instead of waiting
    }
    RoundTrip r;
    const std::string where =
        " after " + std::to_string(n) + " of " + std::to_string(payload.size()) + " bytes";
    // A short read names the writer's error too: after a reset, whichever
    // side calls first gets ECONNRESET and the other only EOF or EPIPE.
    const std::string and_write = write_error.empty() ? "" : "; write: " + write_error;
    if (bad)
        r.why = describe_mismatch(*bad, got[*bad], payload[*bad]);
    else if (!read_error.empty())
        r.why = "read: " + read_error + where + and_write;
    else if (n < payload.size())
        r.why = "connection closed" + where + and_write;
    else if (!write_error.empty())
        r.why = "write: " + write_error;
    else
        r.ok = true;
    return r;
}

std::string expect_eof_after_echo(int fd) {
    if (::shutdown(fd, SHUT_WR) != 0)
        return std::string("shutdown(SHUT_WR): ") + std::strerror(errno);
    std::array<std::uint8_t, 4096> buf{};
    std::size_t extra = 0;
    for (;;) {
        const ssize_t r = ::recv(fd, buf.data(), buf.size(), 0);
        if (r == 0)
            break;
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return errno == EAGAIN ? "no EOF after the echo (timed out)"
                                   : std::string("after the echo: ") + std::strerror(errno);
        }
        extra += static_cast<std::size_t>(r);
    }
    if (extra != 0)
        return std::to_string(extra) + " bytes more than sent came back after the echo";
    return {};
}

std::string read_to_eof(int fd, std::vector<std::uint8_t>& got, const std::string& idle) {
    std::vector<std::uint8_t> buf(65536);
    for (;;) {
        const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
        if (n == 0)
            return {};
        if (n < 0) {
            if (errno == EINTR)
                continue;
            std::string why = errno == EAGAIN ? idle : std::string(std::strerror(errno));
            ::shutdown(fd, SHUT_RDWR);
            return why;
        }
        got.insert(got.end(), buf.begin(), buf.begin() + n);
    }
}

std::string judge_echo(std::span<const std::uint8_t> got, std::span<const std::uint8_t> sent,
                       const std::string& write_error, const std::string& read_error) {
    if (!write_error.empty())
        return "write: " + write_error;
    if (auto off = first_mismatch(got, sent))
        return describe_mismatch(*off, got[*off], sent[*off]);
    if (!read_error.empty())
        return "read: " + read_error;
    if (got.size() != sent.size())
        return "EOF came early or late";
    return {};
}

} // namespace kecho::testclient
