#include "health.h"

#include "error.h"
#include "file_io.h"
#include "inet_addr.h"
#include "kecho_stats.h"
#include "number_parse.h"
#include "sock_diag.h"
#include "tcp_state.h"
#include "unique_fd.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <random>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>

namespace kecho::ctl {

namespace {

constexpr size_t kPayload = 64;
constexpr size_t kHeader = 4;

std::string format_ms(std::chrono::microseconds us) {
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%.1f ms", static_cast<double>(us.count()) / 1000.0);
    return buf.data();
}

std::vector<std::uint8_t> random_bytes(size_t n) {
    std::vector<std::uint8_t> out(n);
    std::random_device rd;
    std::uniform_int_distribution<int> byte(0, 255);
    std::generate(out.begin(), out.end(), [&] { return static_cast<std::uint8_t>(byte(rd)); });
    return out;
}

// In message mode the body must fit kecho's max_msg, or kecho resets.
size_t body_size(const EchoFraming& framing, const std::optional<std::string>& max_msg) {
    if (!framing.message || !max_msg)
        return kPayload;
    const auto max = parse_decimal(*max_msg);
    return max ? static_cast<size_t>(std::min<std::uint64_t>(*max, kPayload)) : kPayload;
}

} // namespace

std::optional<EchoFraming> echo_framing(const std::optional<std::string>& mode,
                                        const std::optional<std::string>& order,
                                        std::string& problem) {
    EchoFraming f;
    if (mode && *mode != "stream") {
        if (*mode != "message") {
            problem = "kecho's mode is '" + *mode + "', which keechoctl cannot check";
            return std::nullopt;
        }
        f.message = true;
    }
    if (order && *order != "be") {
        if (*order != "le") {
            problem = "kecho's msg_order is '" + *order + "', which keechoctl cannot check";
            return std::nullopt;
        }
        f.little_endian = true;
    }
    return f;
}

std::vector<std::uint8_t> frame_request(const EchoFraming& framing,
                                        std::span<const std::uint8_t> body) {
    std::vector<std::uint8_t> out;
    if (framing.message) {
        const auto len = static_cast<std::uint32_t>(body.size());
        for (size_t i = 0; i < kHeader; ++i) {
            const size_t shift = 8 * (framing.little_endian ? i : kHeader - 1 - i);
            out.push_back(static_cast<std::uint8_t>(len >> shift));
        }
    }
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

HealthReport check_health(HealthProbe& probe) {
    HealthReport r;
    if (!probe.module_loaded()) {
        r.problem = HealthProblem::ModuleMissing;
        r.reason = "kecho module is not loaded";
        return r;
    }
    const auto port = probe.configured_port();
    if (!port) {
        r.problem = HealthProblem::PortUnknown;
        r.reason = "cannot read kecho's port parameter";
        return r;
    }
    r.port = *port;
    const std::string on = " on port " + std::to_string(*port);
    if (!probe.listener_present(*port)) {
        r.problem = HealthProblem::ListenerMissing;
        r.reason = "no listener" + on;
        return r;
    }
    std::string problem;
    const auto framing = echo_framing(probe.param("mode"), probe.param("msg_order"), problem);
    if (!framing) {
        r.problem = HealthProblem::ModeUnknown;
        r.reason = problem;
        return r;
    }
    r.mode = framing->message ? "message" : "stream";
    const auto body = random_bytes(body_size(*framing, probe.param("max_msg")));
    const auto request = frame_request(*framing, body);
    // "echo round trip", or "message round trip (64-byte body, be length)".
    const std::string what =
        framing->message ? "message round trip (" + std::to_string(body.size()) + "-byte body, " +
                               (framing->little_endian ? "le" : "be") + " length)"
                         : "echo round trip";
    EchoResult echo = probe.round_trip(*port, request);
    if (echo.ok && echo.reply != request) {
        echo.ok = false;
        echo.error = "reply differs from the payload";
    }
    if (!echo.ok) {
        r.problem = HealthProblem::EchoFailed;
        r.reason = what + on + " failed: " + echo.error;
        return r;
    }
    r.rtt = echo.rtt;
    r.reason = "healthy: " + what + on + " in " + format_ms(echo.rtt);
    return r;
}

// SystemHealthProbe: the real system.

namespace {

using Clock = std::chrono::steady_clock;

// Wait for `events` until the deadline; false on timeout, errno set on error.
bool wait_for(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            errno = ETIMEDOUT;
            return false;
        }
        pollfd pfd{fd, events, 0};
        const int n = ::poll(&pfd, 1, static_cast<int>(left.count()));
        if (n > 0)
            return true;
        if (n < 0 && errno != EINTR)
            return false;
    }
}

EchoResult failed(const std::string& what, int err) {
    EchoResult r;
    r.error = errno_message(err, what);
    return r;
}

// The address to reach kecho at, given its bind parameter ("" = loopback).
InetAddr echo_target(const std::string& bind_param) {
    InetAddr addr;
    if (const auto parsed = parse_inet_addr(bind_param))
        addr = *parsed;
    const InetAddr any6{AF_INET6, {}};
    const InetAddr any4{AF_INET, {}};
    if (addr.family == 0 || addr == any4) {
        addr = InetAddr{AF_INET, {127, 0, 0, 1}};
    } else if (addr == any6) {
        addr.bytes.back() = 1; // ::1
    }
    return addr;
}

// One real round trip: connect, send `out`, read as many bytes back, all
// within a deadline.
EchoResult echo_round_trip(const InetAddr& addr, std::uint16_t port,
                           std::span<const std::uint8_t> out, std::chrono::milliseconds timeout) {
    const auto start = Clock::now();
    const auto deadline = start + timeout;
    UniqueFd fd(::socket(addr.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd)
        return failed("socket", errno);

    sockaddr_storage ss{};
    socklen_t len = 0;
    if (addr.family == AF_INET) {
        sockaddr_in sin{};
        sin.sin_family = AF_INET;
        sin.sin_port = htons(port);
        std::memcpy(&sin.sin_addr, addr.bytes.data(), 4);
        std::memcpy(&ss, &sin, sizeof(sin));
        len = sizeof(sin);
    } else {
        sockaddr_in6 sin6{};
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = htons(port);
        std::memcpy(&sin6.sin6_addr, addr.bytes.data(), 16);
        std::memcpy(&ss, &sin6, sizeof(sin6));
        len = sizeof(sin6);
    }
    const std::string target = format_endpoint(addr, port);
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&ss), len) != 0) {
        if (errno != EINPROGRESS)
            return failed("connect " + target, errno);
        if (!wait_for(fd.get(), POLLOUT, deadline))
            return failed("connect " + target, errno);
        int soerr = 0;
        socklen_t optlen = sizeof(soerr);
        ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &soerr, &optlen);
        if (soerr != 0)
            return failed("connect " + target, soerr);
    }

    size_t sent = 0;
    while (sent < out.size()) {
        const ssize_t n = ::send(fd.get(), out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<size_t>(n);
        } else if (errno == EAGAIN) {
            if (!wait_for(fd.get(), POLLOUT, deadline))
                return failed("send", errno);
        } else if (errno != EINTR) {
            return failed("send", errno);
        }
    }

    std::vector<std::uint8_t> in(out.size());
    size_t got = 0;
    while (got < in.size()) {
        const ssize_t n = ::recv(fd.get(), in.data() + got, in.size() - got, 0);
        if (n > 0) {
            got += static_cast<size_t>(n);
        } else if (n == 0) {
            EchoResult r;
            r.error = "connection closed after " + std::to_string(got) + " of " +
                      std::to_string(in.size()) + " bytes";
            return r;
        } else if (errno == EAGAIN) {
            if (!wait_for(fd.get(), POLLIN, deadline))
                return failed("recv", errno);
        } else if (errno != EINTR) {
            return failed("recv", errno);
        }
    }
    EchoResult r;
    r.rtt = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
    r.ok = true;
    r.reply = std::move(in);
    return r;
}

} // namespace

bool SystemHealthProbe::module_loaded() {
    return kecho_.loaded();
}

std::optional<std::uint16_t> SystemHealthProbe::configured_port() {
    const auto value = kecho_.param("port");
    if (!value)
        return std::nullopt;
    const auto port = parse_decimal(*value);
    if (!port || *port == 0 || *port > 65535)
        return std::nullopt;
    return static_cast<std::uint16_t>(*port);
}

bool SystemHealthProbe::listener_present(std::uint16_t port) {
    try {
        NetlinkSockDiag diag;
        return std::ranges::any_of(list_tcp_sockets(diag, state_bit(kListen)),
                                   [port](const SockInfo& s) { return s.sport == port; });
    } catch (const std::exception&) {
        // No inet_diag: fall back to what kecho says it serves.
        const auto text = read_file(paths_.kecho_stats());
        return text && parse_kecho_stats(*text).get("port") == port;
    }
}

std::optional<std::string> SystemHealthProbe::param(const std::string& name) {
    return kecho_.param(name);
}

EchoResult SystemHealthProbe::round_trip(std::uint16_t port,
                                         std::span<const std::uint8_t> request) {
    return echo_round_trip(echo_target(kecho_.param("bind").value_or("")), port, request, timeout_);
}

} // namespace kecho::ctl
