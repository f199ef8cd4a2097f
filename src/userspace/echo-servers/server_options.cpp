#include "server_options.h"

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
    for (size_t i = 0; i < args.size(); ++i) {
        std::string a = args[i];
        std::string value;
        bool has_value = false;
        if (auto eq = a.find('='); a.starts_with("--") && eq != std::string::npos) {
            value = a.substr(eq + 1);
            a.resize(eq);
            has_value = true;
        }
        auto need = [&]() -> std::string {
            if (has_value)
                return value;
            if (i + 1 >= args.size())
                throw std::invalid_argument(a + ": missing value");
            return args[++i];
        };
        if (a == "--help" || a == "-h") {
            o.help = true;
        } else if (a == "--port") {
            o.port = static_cast<uint16_t>(parse_uint(a, need(), 1, 65535));
        } else if (a == "--backlog") {
            o.backlog = static_cast<unsigned>(parse_uint(a, need(), 1, 1U << 20));
        } else if (a == "--threads") {
            o.threads = static_cast<unsigned>(parse_uint(a, need(), 1, 1024));
        } else if (a == "--bind") {
            o.bind = need();
            if (!o.bind.empty() && !is_ip_literal(o.bind))
                throw std::invalid_argument("--bind: '" + o.bind +
                                            "' is not an IPv4 or IPv6 address");
        } else if (a == "--single-shot") {
            o.single_shot = true;
        } else {
            throw std::invalid_argument("unknown option '" + std::string(args[i]) + "'");
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
