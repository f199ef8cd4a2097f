#include "inet_addr.h"

#include "errors.h"
#include "number_parse.h"

#include <algorithm>
#include <arpa/inet.h>
#include <sys/socket.h>

namespace kecho::ctl {

namespace {

constexpr std::array<std::uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

} // namespace

std::string InetAddr::to_string() const {
    std::array<char, INET6_ADDRSTRLEN> buf{};
    if (::inet_ntop(family, bytes.data(), buf.data(), buf.size()) == nullptr)
        return "?";
    return buf.data();
}

bool InetAddr::is_v4_mapped() const {
    return family == AF_INET6 &&
           std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), bytes.begin());
}

InetAddr InetAddr::unmapped() const {
    if (!is_v4_mapped())
        return *this;
    InetAddr out;
    out.family = AF_INET;
    std::copy_n(bytes.begin() + kMappedPrefix.size(), 4, out.bytes.begin());
    return out;
}

std::optional<InetAddr> parse_inet_addr(std::string_view text) {
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
        text = text.substr(1, text.size() - 2);
    const std::string s(text);
    InetAddr addr;
    if (::inet_pton(AF_INET, s.c_str(), addr.bytes.data()) == 1) {
        addr.family = AF_INET;
        return addr;
    }
    if (::inet_pton(AF_INET6, s.c_str(), addr.bytes.data()) == 1) {
        addr.family = AF_INET6;
        return addr;
    }
    return std::nullopt;
}

std::string format_endpoint(const InetAddr& addr, std::uint16_t port) {
    if (addr.family == AF_INET6)
        return "[" + addr.to_string() + "]:" + std::to_string(port);
    return addr.to_string() + ":" + std::to_string(port);
}

bool Prefix::contains(const InetAddr& other) const {
    const InetAddr a = addr.unmapped();
    const InetAddr b = other.unmapped();
    if (a.family != b.family)
        return false;
    unsigned bits = length;
    for (size_t i = 0; bits > 0; ++i) {
        const unsigned take = std::min(bits, 8U);
        const auto mask = static_cast<std::uint8_t>(0xffU << (8U - take));
        if ((a.bytes.at(i) & mask) != (b.bytes.at(i) & mask))
            return false;
        bits -= take;
    }
    return true;
}

std::string Prefix::to_string() const {
    const unsigned full = addr.family == AF_INET ? 32 : 128;
    if (length == full)
        return addr.to_string();
    return addr.to_string() + "/" + std::to_string(length);
}

Prefix parse_prefix(std::string_view text, std::string_view what) {
    const auto fail = [&]() -> UsageError {
        return UsageError{std::string(what) + ": '" + std::string(text) +
                          "' is not an IPv4 or IPv6 address[/prefix]"};
    };
    const auto slash = text.find('/');
    const auto addr = parse_inet_addr(text.substr(0, slash));
    if (!addr)
        throw fail();
    Prefix prefix{*addr, addr->family == AF_INET ? 32U : 128U};
    if (slash != std::string_view::npos) {
        const auto len = parse_decimal(text.substr(slash + 1));
        if (!len || *len > prefix.length)
            throw fail();
        prefix.length = static_cast<unsigned>(*len);
    }
    if (prefix.addr.is_v4_mapped() && prefix.length >= 96) {
        prefix.length -= 96;
        prefix.addr = prefix.addr.unmapped();
    }
    return prefix;
}

} // namespace kecho::ctl
