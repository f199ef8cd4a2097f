#include "health.h"

#include "error.h"
#include "file_io.h"
#include "http_status.h"
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

// In message and chat mode the body must fit kecho's max_msg, or kecho resets.
size_t body_size(const EchoFraming& framing, const std::optional<std::string>& max_msg) {
    if (!framing.message || !max_msg)
        return kPayload;
    const auto max = parse_decimal(*max_msg);
    return max ? static_cast<size_t>(std::min<std::uint64_t>(*max, kPayload)) : kPayload;
}

// Chat mode's probe body, which the room's other members see: a name they
// can recognize, then random letters and digits (so this run's probe is told
// from any other's), cut to `size`.
std::vector<std::uint8_t> chat_probe_body(size_t size) {
    static constexpr std::string_view kPrefix = "keechoctl-health ";
    static constexpr std::string_view kAlnum =
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    std::vector<std::uint8_t> out(kPrefix.begin(), kPrefix.end());
    std::random_device rd;
    std::uniform_int_distribution<size_t> pick(0, kAlnum.size() - 1);
    while (out.size() < size)
        out.push_back(static_cast<std::uint8_t>(kAlnum[pick(rd)]));
    out.resize(size);
    return out;
}

std::uint32_t read_length(std::span<const std::uint8_t> header, bool little_endian) {
    std::uint32_t len = 0;
    for (size_t i = 0; i < kHeader; ++i) {
        const size_t shift = 8 * (little_endian ? i : kHeader - 1 - i);
        len |= static_cast<std::uint32_t>(header[i]) << shift;
    }
    return len;
}

} // namespace

std::optional<EchoFraming> echo_framing(const std::optional<std::string>& mode,
                                        const std::optional<std::string>& order,
                                        std::string& problem) {
    EchoFraming f;
    if (mode && *mode != "stream") {
        if (*mode != "message" && *mode != "chat") {
            problem = "kecho's mode is '" + *mode + "', which keechoctl cannot check";
            return std::nullopt;
        }
        f.message = true;
        f.chat = *mode == "chat";
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

namespace {

// khttpd: GET / must bring a well-formed status line, then the close.
HealthReport check_http(HealthProbe& probe, HealthReport r) {
    const std::string what = "HTTP GET / on port " + std::to_string(r.port);
    const auto request = std::span(reinterpret_cast<const std::uint8_t*>(kHttpHealthRequest.data()),
                                   kHttpHealthRequest.size());
    const EchoResult res = probe.http_trip(r.port, request);
    const std::string_view reply(reinterpret_cast<const char*>(res.reply.data()), res.reply.size());
    if (!res.ok) {
        r.problem = HealthProblem::EchoFailed;
        r.reason = what + " failed: " + res.error;
        if (!reply.empty()) {
            std::string_view first = reply.substr(0, reply.find('\n'));
            if (first.ends_with('\r'))
                first.remove_suffix(1);
            r.reason += " (received: '" + printable_excerpt(first) + "')";
        }
        return r;
    }
    std::string problem;
    const auto status = parse_status_line(reply, problem);
    if (!status) {
        r.problem = HealthProblem::EchoFailed;
        r.reason = what + " failed: " + problem;
        return r;
    }
    r.http_status = status->code;
    r.rtt = res.rtt;
    r.reason = "healthy: " + what + ": " + std::to_string(status->code) +
               (status->reason.empty() ? "" : " " + printable_excerpt(status->reason)) + " in " +
               format_ms(res.rtt);
    return r;
}

} // namespace

HealthReport check_health(HealthProbe& probe, const Server& server) {
    HealthReport r;
    const std::string module(server.module);
    if (!probe.module_loaded()) {
        r.problem = HealthProblem::ModuleMissing;
        r.reason = module + " module is not loaded";
        return r;
    }
    const auto port = probe.configured_port();
    if (!port) {
        r.problem = HealthProblem::PortUnknown;
        r.reason = "cannot read " + module + "'s port parameter";
        return r;
    }
    r.port = *port;
    const std::string on = " on port " + std::to_string(*port);
    if (!probe.listener_present(*port)) {
        r.problem = HealthProblem::ListenerMissing;
        r.reason = "no listener" + on;
        return r;
    }
    if (server.health == HealthCheck::Http)
        return check_http(probe, r);
    std::string problem;
    const auto framing = echo_framing(probe.param("mode"), probe.param("msg_order"), problem);
    if (!framing) {
        r.problem = HealthProblem::ModeUnknown;
        r.reason = problem;
        return r;
    }
    r.mode = framing->chat ? "chat" : framing->message ? "message" : "stream";
    const size_t size = body_size(*framing, probe.param("max_msg"));
    const auto body = framing->chat ? chat_probe_body(size) : random_bytes(size);
    const auto request = frame_request(*framing, body);
    // "echo round trip", "message round trip (64-byte body, be length)" or
    // "chat relay (64-byte body, be length)".
    const std::string framed = " (" + std::to_string(body.size()) + "-byte body, " +
                               (framing->little_endian ? "le" : "be") + " length)";
    const std::string what = framing->chat      ? "chat relay" + framed
                             : framing->message ? "message round trip" + framed
                                                : "echo round trip";
    EchoResult echo = framing->chat ? probe.relay_trip(*port, request, framing->little_endian)
                                    : probe.round_trip(*port, request);
    if (echo.ok && echo.reply != request) {
        echo.ok = false;
        echo.error = framing->chat ? "the message relayed differs from the probe"
                                   : "reply differs from the payload";
    }
    if (!echo.ok) {
        r.problem = HealthProblem::EchoFailed;
        r.reason = what + on + " failed: " + echo.error;
        return r;
    }
    r.rtt = echo.rtt;
    r.reason = "healthy: " + what + on + " in " + format_ms(echo.rtt);
    if (framing->chat && echo.sends > 1)
        r.reason += " (probe sent " + std::to_string(echo.sends) + " times)";
    return r;
}

ProbeMatcher::ProbeMatcher(std::span<const std::uint8_t> probe, bool little_endian)
    : probe_(probe.begin(), probe.end()), little_endian_(little_endian) {
    frame_.reserve(probe_.size());
}

bool ProbeMatcher::feed(std::span<const std::uint8_t> bytes) {
    while (!bytes.empty() && !found_) {
        if (skip_ > 0) {
            const auto n = static_cast<size_t>(std::min<std::uint64_t>(skip_, bytes.size()));
            skip_ -= n;
            bytes = bytes.subspan(n);
            continue;
        }
        // Header bytes one by one, then as much of the body as the probe has.
        const size_t want =
            frame_.size() < kHeader ? kHeader - frame_.size() : probe_.size() - frame_.size();
        const size_t n = std::min(want, bytes.size());
        frame_.insert(frame_.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
        bytes = bytes.subspan(n);
        if (frame_.size() == kHeader &&
            (probe_.size() < kHeader ||
             !std::equal(frame_.begin(), frame_.end(), probe_.begin()))) {
            // Another length: not the probe; skip its body.
            skip_ = read_length(frame_, little_endian_);
            ++others_;
            frame_.clear();
            continue;
        }
        if (frame_.size() >= kHeader && frame_.size() == probe_.size()) {
            if (frame_ == probe_)
                found_ = true;
            else
                ++others_;
            frame_.clear();
        }
    }
    return found_;
}

std::chrono::milliseconds chat_resend_delay(unsigned sent) {
    constexpr std::chrono::milliseconds kFirst{25};
    constexpr std::chrono::milliseconds kMax{500};
    auto delay = kFirst;
    for (unsigned i = 1; i < sent && delay < kMax; ++i)
        delay *= 2;
    return std::min(delay, kMax);
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

// Send all of `bytes` on a non-blocking socket before the deadline; false
// with errno set on an error or timeout.
bool send_all(int fd, std::span<const std::uint8_t> bytes, Clock::time_point deadline) {
    size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<size_t>(n);
        } else if (errno == EAGAIN) {
            if (!wait_for(fd, POLLOUT, deadline))
                return false;
        } else if (errno != EINTR) {
            return false;
        }
    }
    return true;
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

// A non-blocking TCP connection to addr:port by the deadline; on failure an
// invalid fd and why in `error` ("connect 127.0.0.1:12345: Connection refused").
UniqueFd connect_to(const InetAddr& addr, std::uint16_t port, Clock::time_point deadline,
                    std::string& error) {
    UniqueFd fd(::socket(addr.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) {
        error = errno_message(errno, "socket");
        return {};
    }

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
    const std::string what = "connect " + format_endpoint(addr, port);
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&ss), len) != 0) {
        int err = errno;
        if (err == EINPROGRESS) {
            err = 0;
            if (!wait_for(fd.get(), POLLOUT, deadline)) {
                err = errno;
            } else {
                socklen_t optlen = sizeof(err);
                ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &optlen);
            }
        }
        if (err != 0) {
            error = errno_message(err, what);
            return {};
        }
    }
    return fd;
}

// One real round trip: connect, send `out`, read as many bytes back, all
// within a deadline.
EchoResult echo_round_trip(const InetAddr& addr, std::uint16_t port,
                           std::span<const std::uint8_t> out, std::chrono::milliseconds timeout) {
    const auto start = Clock::now();
    const auto deadline = start + timeout;
    std::string error;
    const UniqueFd fd = connect_to(addr, port, deadline, error);
    if (!fd) {
        EchoResult r;
        r.error = error;
        return r;
    }

    if (!send_all(fd.get(), out, deadline))
        return failed("send", errno);

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

// What a read of every byte waiting on a non-blocking socket found.
enum class Drained { More, Closed, Failed };

// Read what `fd` has now into `buf`, handing each piece to `take`; stops at
// EAGAIN (More), end of stream (Closed) or an error (Failed, errno set).
template <typename Take> Drained drain(int fd, std::vector<std::uint8_t>& buf, Take take) {
    for (;;) {
        const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
        if (n > 0) {
            if (take(std::span<const std::uint8_t>(buf.data(), static_cast<size_t>(n))))
                return Drained::More;
        } else if (n == 0) {
            return Drained::Closed;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return Drained::More;
        } else if (errno != EINTR) {
            return Drained::Failed;
        }
    }
}

} // namespace

EchoResult chat_relay_trip(const InetAddr& addr, std::uint16_t port,
                           std::span<const std::uint8_t> message, bool little_endian,
                           std::chrono::milliseconds timeout) {
    const auto start = Clock::now();
    const auto deadline = start + timeout;
    EchoResult r;
    r.sends = 0;
    // The receiver first: kecho accepts in order, so it is usually in the
    // room before the sender's first probe is.
    const UniqueFd receiver = connect_to(addr, port, deadline, r.error);
    if (!receiver) {
        r.error = "receiver: " + r.error;
        return r;
    }
    const UniqueFd sender = connect_to(addr, port, deadline, r.error);
    if (!sender) {
        r.error = "sender: " + r.error;
        return r;
    }
    const auto fail = [&r](const std::string& what, int err) {
        r.error = errno_message(err, what);
        return r;
    };

    ProbeMatcher matcher(message, little_endian);
    std::vector<std::uint8_t> buf(size_t{64} * 1024);
    size_t unsent = 0; // bytes of the current probe still to send
    auto next_send = Clock::now();
    for (;;) {
        auto now = Clock::now();
        if (unsent == 0 && now >= next_send) {
            // Only whole probes: a new one starts once the last is all sent.
            unsent = message.size();
            ++r.sends;
            next_send = now + chat_resend_delay(r.sends);
        }
        while (unsent > 0) {
            const ssize_t n = ::send(sender.get(), message.data() + (message.size() - unsent),
                                     unsent, MSG_NOSIGNAL);
            if (n > 0)
                unsent -= static_cast<size_t>(n);
            else if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            else if (errno != EINTR)
                return fail("sender: send", errno);
        }
        now = Clock::now();
        if (now >= deadline) {
            r.error = "the receiving connection got no probe within " +
                      std::to_string(timeout.count()) + " ms (probe sent " +
                      std::to_string(r.sends) + (r.sends == 1 ? " time, " : " times, ") +
                      std::to_string(matcher.others()) + " other messages received)";
            return r;
        }
        const auto until = unsent > 0 ? deadline : std::min(deadline, next_send);
        const auto wait =
            std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count() + 1;
        std::array<pollfd, 2> pfds{
            {{receiver.get(), POLLIN, 0},
             {sender.get(), static_cast<short>(POLLIN | (unsent > 0 ? POLLOUT : 0)), 0}}};
        if (::poll(pfds.data(), pfds.size(), static_cast<int>(wait)) < 0) {
            if (errno == EINTR)
                continue;
            return fail("poll", errno);
        }
        if (pfds[0].revents != 0) {
            switch (drain(receiver.get(), buf, [&](auto bytes) { return matcher.feed(bytes); })) {
            case Drained::Closed:
                r.error = "receiver: connection closed by kecho";
                return r;
            case Drained::Failed:
                return fail("receiver: recv", errno);
            case Drained::More:
                break;
            }
            if (matcher.found()) {
                r.ok = true;
                r.rtt = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
                r.reply.assign(message.begin(), message.end());
                return r;
            }
        }
        // Whatever reaches the sender (its own probe with chat_echo=1, the
        // room's other messages) is read and dropped.
        if ((pfds[1].revents & (POLLIN | POLLERR | POLLHUP)) != 0) {
            switch (drain(sender.get(), buf, [](auto) { return false; })) {
            case Drained::Closed:
                r.error = "sender: connection closed by kecho";
                return r;
            case Drained::Failed:
                return fail("sender: recv", errno);
            case Drained::More:
                break;
            }
        }
    }
}

EchoResult http_round_trip(const InetAddr& addr, std::uint16_t port,
                           std::span<const std::uint8_t> request,
                           std::chrono::milliseconds timeout) {
    const auto start = Clock::now();
    const auto deadline = start + timeout;
    EchoResult r;
    const UniqueFd fd = connect_to(addr, port, deadline, r.error);
    if (!fd)
        return r;
    if (!send_all(fd.get(), request, deadline))
        return failed("send", errno);
    // Until the close: the status line must be followed by a whole response.
    std::vector<std::uint8_t> buf(kHttpReplyKept);
    std::uint64_t total = 0;
    const auto keep = [&r, &total](std::span<const std::uint8_t> bytes) {
        total += bytes.size();
        const size_t room = kHttpReplyKept - std::min(kHttpReplyKept, r.reply.size());
        const size_t n = std::min(room, bytes.size());
        r.reply.insert(r.reply.end(), bytes.begin(),
                       bytes.begin() + static_cast<std::ptrdiff_t>(n));
        return false;
    };
    for (;;) {
        switch (drain(fd.get(), buf, keep)) {
        case Drained::Closed:
            r.ok = true;
            r.rtt = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
            return r;
        case Drained::Failed:
            r.error = errno_message(errno, "recv") + " after " + std::to_string(total) + " bytes";
            return r;
        case Drained::More:
            break;
        }
        if (!wait_for(fd.get(), POLLIN, deadline)) {
            if (errno == ETIMEDOUT)
                r.error = "no close within " + std::to_string(timeout.count()) + " ms (" +
                          std::to_string(total) + " bytes received)";
            else
                r.error = errno_message(errno, "poll");
            return r;
        }
    }
}

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
        // No inet_diag: fall back to what the module says it serves.
        const auto text = read_file(paths_.stats_file(kecho_.name()));
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

EchoResult SystemHealthProbe::http_trip(std::uint16_t port, std::span<const std::uint8_t> request) {
    return http_round_trip(echo_target(kecho_.param("bind").value_or("")), port, request, timeout_);
}

EchoResult SystemHealthProbe::relay_trip(std::uint16_t port, std::span<const std::uint8_t> message,
                                         bool little_endian) {
    return chat_relay_trip(echo_target(kecho_.param("bind").value_or("")), port, message,
                           little_endian, timeout_);
}

} // namespace kecho::ctl
