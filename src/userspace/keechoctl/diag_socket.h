// The NETLINK_SOCK_DIAG socket itself (RAII over libmnl's mnl_socket).
#pragma once

#include "filters.h"
#include "sock_info.h"

#include <cstdint>
#include <memory>
#include <vector>

struct mnl_socket;

namespace kecho::ctl {

class DiagSocket {
  public:
    DiagSocket(); // throws SystemError
    // All TCP sockets of `family` (AF_INET or AF_INET6) in `states`.
    std::vector<SockInfo> dump_tcp(int family, std::uint32_t states);

  private:
    struct Closer {
        void operator()(mnl_socket* sock) const noexcept;
    };
    std::unique_ptr<mnl_socket, Closer> sock_;
    std::uint32_t portid_ = 0;
    std::uint32_t seq_ = 0;
};

// IPv4 and IPv6 TCP sockets in `states`, in the current network namespace.
std::vector<SockInfo> list_tcp_sockets(std::uint32_t states);

// The sockets `filter` selects, sorted for display.
std::vector<SockInfo> select_sockets(const SockFilter& filter);

} // namespace kecho::ctl
