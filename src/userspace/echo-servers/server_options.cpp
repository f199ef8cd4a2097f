#include "server_options.h"

#include "option_cursor.h"

#include <arpa/inet.h>
#include <array>
#include <charconv>
#include <stdexcept>

namespace kecho {

namespace {

unsigned long parse_uint(const std::string& opt, const std::string& text, unsigned long min,
                         unsigned long max) {
    unsigned long v = 0;
    const char* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc() || p != end || v < min || v > max)
        throw std::invalid_argument(opt + ": expected an integer in [" + std::to_string(min) +
                                    ", " + std::to_string(max) + "], got '" + text + "'");
    return v;
}

bool is_ip_literal(const std::string& s) {
    std::array<unsigned char, 16> buf{};
    return inet_pton(AF_INET, s.c_str(), buf.data()) == 1 ||
           inet_pton(AF_INET6, s.c_str(), buf.data()) == 1;
}

} // namespace

ServerOptions parse_server_options(std::span<const char* const> args) {
    ServerOptions o;
    for (OptionCursor arg(args); arg.next();) {
        const std::string& a = arg.name();
        if (a == "--help" || a == "-h") {
            o.help = true;
        } else if (a == "--port") {
            o.port = static_cast<uint16_t>(parse_uint(a, arg.value(), 1, 65535));
        } else if (a == "--backlog") {
            o.backlog = static_cast<unsigned>(parse_uint(a, arg.value(), 1, 1U << 20));
        } else if (a == "--threads") {
            o.threads = static_cast<unsigned>(parse_uint(a, arg.value(), 1, 1024));
        } else if (a == "--bind") {
            o.bind = arg.value();
            if (!o.bind.empty() && !is_ip_literal(o.bind))
                throw std::invalid_argument("--bind: '" + o.bind +
                                            "' is not an IPv4 or IPv6 address");
        } else if (a == "--single-shot") {
            o.single_shot = true;
        } else {
            throw std::invalid_argument("unknown option '" + arg.raw() + "'");
        }
    }
    return o;
}

std::string server_usage(const std::string& prog, bool uring) {
    std::string u = "usage: " + prog + " [--port N] [--backlog N] [--bind ADDR] [--threads N]" +
                    (uring ? " [--single-shot]" : "") +
                    "\n"
                    "  --port N      TCP port (default 12345)\n"
                    "  --backlog N   listen backlog (default 128)\n"
                    "  --bind ADDR   IPv4 or IPv6 address (default: all, dual-stack)\n"
                    "  --threads N   worker threads (default: one per CPU)\n";
    if (uring)
        u += "  --single-shot do not use multishot accept/recv or buffer rings\n";
    return u;
}

} // namespace kecho
