#include "net.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdexcept>

namespace kecho::bench {

Target resolve_target(const std::string& host, uint16_t port) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* res = nullptr;
    const std::string ps = std::to_string(port);
    if (int err = ::getaddrinfo(host.c_str(), ps.c_str(), &hints, &res); err != 0)
        throw std::runtime_error("resolving '" + host + "': " + ::gai_strerror(err));
    Target t;
    std::memcpy(&t.addr, res->ai_addr, res->ai_addrlen);
    t.len = res->ai_addrlen;
    ::freeaddrinfo(res);
    t.text = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + ps;
    return t;
}

namespace {

// Bind @fd to the next of @sources loopback addresses, port left to
// connect(): one address has one ephemeral port range (about 28,000 ports),
// and IP_BIND_ADDRESS_NO_PORT lets each address reuse it for every target.
bool bind_next_source(int fd, unsigned sources) {
    static std::atomic<unsigned> next{0};
    const unsigned k = next.fetch_add(1, std::memory_order_relaxed) % sources;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
    sockaddr_in src{};
    src.sin_family = AF_INET;
    src.sin_addr.s_addr = htonl(INADDR_LOOPBACK + k);
    return ::bind(fd, reinterpret_cast<const sockaddr*>(&src), sizeof(src)) == 0;
}

} // namespace

UniqueFd start_connect(const Target& t) {
    UniqueFd fd(::socket(t.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd)
        return fd;
    if (t.sources > 0 && !bind_next_source(fd.get(), t.sources)) {
        const int err = errno;
        fd.reset();
        errno = err;
        return fd;
    }
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&t.addr), t.len) < 0 &&
        errno != EINPROGRESS) {
        const int err = errno;
        fd.reset();
        errno = err;
    }
    return fd;
}

int connect_result(int fd) {
    int err = 0;
    socklen_t len = sizeof(err);
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        return errno;
    return err;
}

void set_nodelay(int fd) {
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

} // namespace kecho::bench
