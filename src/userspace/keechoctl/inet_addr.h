// IPv4/IPv6 addresses and prefixes as sock_diag reports and filters use them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kecho::ctl {

struct InetAddr {
    int family = 0;                       // AF_INET or AF_INET6
    std::array<std::uint8_t, 16> bytes{}; // network order; IPv4 uses the first 4

    [[nodiscard]] std::string to_string() const;
    [[nodiscard]] bool is_v4_mapped() const;
    // ::ffff:a.b.c.d as a.b.c.d; anything else unchanged.
    [[nodiscard]] InetAddr unmapped() const;
    bool operator==(const InetAddr&) const = default;
};

// "1.2.3.4", "::1", "[::1]". Nullopt if malformed.
std::optional<InetAddr> parse_inet_addr(std::string_view text);

// "1.2.3.4:80" or "[::1]:80", as ss -n and /proc/net/drop_tcp_sock write them.
std::string format_endpoint(const InetAddr& addr, std::uint16_t port);

struct Prefix {
    InetAddr addr;
    unsigned length = 0;
    // IPv4-mapped IPv6 addresses match IPv4 prefixes and vice versa.
    [[nodiscard]] bool contains(const InetAddr& other) const;
    [[nodiscard]] std::string to_string() const;
};

// "ADDR" or "ADDR/LEN"; throws UsageError naming `what` when malformed.
Prefix parse_prefix(std::string_view text, std::string_view what);

} // namespace kecho::ctl
