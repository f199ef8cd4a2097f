#include "net.h"

#include "error.h"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <stdexcept>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <unistd.h>

namespace kecho::testclient {

std::string Endpoint::describe() const {
    const bool v6 = family == AF_INET6;
    return (v6 ? "[" : "") + host + (v6 ? "]:" : ":") + std::to_string(port);
}

Endpoint endpoint_from(const Args& args) {
    Endpoint ep;
    const std::string fam = args.str("family", "");
    std::string host = args.str("host", "");
    if (fam == "6" || (fam.empty() && host.find(':') != std::string::npos))
        ep.family = AF_INET6;
    else if (fam.empty() || fam == "4")
        ep.family = AF_INET;
    else
        throw std::invalid_argument("--family must be 4 or 6, not '" + fam + "'");
    if (host.empty())
        host = ep.family == AF_INET6 ? "::1" : "127.0.0.1";
    const std::uint64_t port = args.num("port", 12345);
    if (port == 0 || port > 65535)
        throw std::invalid_argument("--port must be 1..65535");
    ep.host = host;
    ep.port = static_cast<std::uint16_t>(port);
    if (ep.family == AF_INET) {
        sockaddr_in sin{};
        sin.sin_family = AF_INET;
        sin.sin_port = htons(ep.port);
        if (inet_pton(AF_INET, host.c_str(), &sin.sin_addr) != 1)
            throw std::invalid_argument("--host '" + host + "' is not an IPv4 address");
        std::memcpy(&ep.addr, &sin, sizeof(sin));
        ep.addr_len = sizeof(sin);
    } else {
        sockaddr_in6 sin6{};
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = htons(ep.port);
        if (inet_pton(AF_INET6, host.c_str(), &sin6.sin6_addr) != 1)
            throw std::invalid_argument("--host '" + host + "' is not an IPv6 address");
        std::memcpy(&ep.addr, &sin6, sizeof(sin6));
        ep.addr_len = sizeof(sin6);
    }
    return ep;
}

static UniqueFd make_socket(const Endpoint& ep, int extra_flags) {
    UniqueFd fd(::socket(ep.family, SOCK_STREAM | SOCK_CLOEXEC | extra_flags, 0));
    if (!fd)
        throw_errno("socket");
    return fd;
}

void set_io_timeouts(int fd, std::chrono::seconds io_timeout) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(io_timeout.count());
    if (::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0 ||
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0)
        throw_errno("setsockopt timeouts");
}

UniqueFd connect_blocking(const Endpoint& ep, std::chrono::seconds io_timeout) {
    UniqueFd fd = make_socket(ep, 0);
    set_io_timeouts(fd.get(), io_timeout);
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&ep.addr), ep.addr_len) != 0)
        throw_errno("connect " + ep.describe());
    return fd;
}

UniqueFd connect_nonblocking(const Endpoint& ep) {
    UniqueFd fd = make_socket(ep, SOCK_NONBLOCK);
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&ep.addr), ep.addr_len) != 0 &&
        errno != EINPROGRESS)
        throw_errno("connect " + ep.describe());
    return fd;
}

void set_nonblocking(int fd) {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0)
        throw_errno("fcntl O_NONBLOCK");
}

void write_all(int fd, std::span<const std::uint8_t> data, std::size_t chunk) {
    std::size_t done = 0;
    while (done < data.size()) {
        const std::size_t len =
            chunk != 0 ? std::min(chunk, data.size() - done) : data.size() - done;
        const ssize_t n = ::send(fd, data.data() + done, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                throw std::runtime_error("write timed out after " + std::to_string(done) + " of " +
                                         std::to_string(data.size()) + " bytes");
            throw_errno("write after " + std::to_string(done) + " bytes");
        }
        done += static_cast<std::size_t>(n);
    }
}

std::size_t read_full(int fd, std::span<std::uint8_t> data, std::size_t* progress) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::recv(fd, data.data() + done, data.size() - done, 0);
        if (n == 0)
            return done;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                throw std::runtime_error("read timed out after " + std::to_string(done) + " of " +
                                         std::to_string(data.size()) + " bytes");
            throw_errno("read after " + std::to_string(done) + " bytes");
        }
        done += static_cast<std::size_t>(n);
        if (progress)
            *progress = done;
    }
    return done;
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

namespace {

std::optional<tcp_info> tcp_info_of(int fd) {
    tcp_info info{};
    socklen_t len = sizeof(info);
    if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0)
        return std::nullopt;
    return info;
}

} // namespace

int tcp_state(int fd) {
    const auto info = tcp_info_of(fd);
    return info ? info->tcpi_state : -1;
}

std::string tcp_summary(int fd) {
    static constexpr std::array<const char*, 12> kNames = {
        "?",         "ESTABLISHED", "SYN_SENT",   "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
        "TIME_WAIT", "CLOSE",       "CLOSE_WAIT", "LAST_ACK", "LISTEN",    "CLOSING"};
    const auto info = tcp_info_of(fd);
    if (!info)
        return std::string("TCP_INFO: ") + std::strerror(errno);
    int inq = 0;
    if (::ioctl(fd, FIONREAD, &inq) != 0)
        inq = -1;
    const std::size_t state = info->tcpi_state;
    return std::string("TCP state ") + (state < kNames.size() ? kNames[state] : "?") + ", " +
           std::to_string(info->tcpi_unacked) + " unacked, " + std::to_string(inq) +
           " bytes to read";
}

} // namespace kecho::testclient
