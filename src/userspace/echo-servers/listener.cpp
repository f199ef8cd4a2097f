#include "listener.h"

#include "error.h"

#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>

namespace kecho {

namespace {

UniqueFd bind_listen(int family, const sockaddr* sa, socklen_t len, const std::string& where,
                     unsigned backlog) {
    UniqueFd fd(::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd)
        throw_errno("socket for " + where);
    int one = 1;
    int zero = 0;
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
        throw_errno("SO_REUSEADDR on " + where);
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0)
        throw_errno("SO_REUSEPORT on " + where);
    if (family == AF_INET6 &&
        ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) < 0)
        throw_errno("IPV6_V6ONLY off on " + where);
    if (::bind(fd.get(), sa, len) < 0)
        throw_errno("bind " + where);
    if (::listen(fd.get(), static_cast<int>(backlog)) < 0)
        throw_errno("listen " + where);
    return fd;
}

} // namespace

UniqueFd make_listener(const std::string& bind, uint16_t port, unsigned backlog) {
    sockaddr_in6 a6{};
    a6.sin6_family = AF_INET6;
    a6.sin6_port = htons(port);
    sockaddr_in a4{};
    a4.sin_family = AF_INET;
    a4.sin_port = htons(port);
    const std::string ps = std::to_string(port);

    if (bind.empty()) {
        a6.sin6_addr = in6addr_any;
        try {
            return bind_listen(AF_INET6, reinterpret_cast<sockaddr*>(&a6), sizeof(a6), "[::]:" + ps,
                               backlog);
        } catch (const std::system_error& e) {
            const int err = e.code().value();
            if (err != EAFNOSUPPORT && err != EADDRNOTAVAIL && err != EPROTONOSUPPORT)
                throw;
        }
        a4.sin_addr.s_addr = htonl(INADDR_ANY);
        return bind_listen(AF_INET, reinterpret_cast<sockaddr*>(&a4), sizeof(a4), "0.0.0.0:" + ps,
                           backlog);
    }
    if (::inet_pton(AF_INET, bind.c_str(), &a4.sin_addr) == 1)
        return bind_listen(AF_INET, reinterpret_cast<sockaddr*>(&a4), sizeof(a4), bind + ":" + ps,
                           backlog);
    if (::inet_pton(AF_INET6, bind.c_str(), &a6.sin6_addr) == 1)
        return bind_listen(AF_INET6, reinterpret_cast<sockaddr*>(&a6), sizeof(a6),
                           "[" + bind + "]:" + ps, backlog);
    throw_errno(EINVAL, "bind address '" + bind + "'");
}

} // namespace kecho
