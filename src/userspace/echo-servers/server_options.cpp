#include "server_options.h"

#include "cli_args.h"
#include "parse_number.h"

#include <arpa/inet.h>
#include <array>

namespace kecho {

namespace {

// What each one does is server_usage()'s text, below.
constexpr std::array<OptionSpec, 6> kOptions = {{
    kHelpOption,
    {"--port", "N", ""},
    {"--backlog", "N", ""},
    {"--threads", "N", ""},
    {"--bind", "ADDR", ""},
    {"--single-shot", "", ""},
}};

bool is_ip_literal(const std::string& s) {
    std::array<unsigned char, 16> buf{};
    return inet_pton(AF_INET, s.c_str(), buf.data()) == 1 ||
           inet_pton(AF_INET6, s.c_str(), buf.data()) == 1;
}

} // namespace

ServerOptions parse_server_options(std::span<const char* const> args) {
    // "--bind=" is the default, every address; numbers refuse empty values.
    const ParsedArgs a = parse_args(args, kOptions, "", EmptyValues::allow);
    refuse_positionals(a, "");
    ServerOptions o;
    o.help = a.has("--help");
    if (const auto v = a.value("--port"))
        o.port = parse_port(*v, "--port");
    if (const auto v = a.value("--backlog"))
        o.backlog = parse_number<unsigned>(*v, "--backlog", 1, 1U << 20);
    if (const auto v = a.value("--threads"))
        o.threads = parse_number<unsigned>(*v, "--threads", 1, 1024);
    if (const auto v = a.value("--bind")) {
        o.bind = *v;
        if (!o.bind.empty() && !is_ip_literal(o.bind))
            throw UsageError("--bind: '" + o.bind + "' is not an IPv4 or IPv6 address");
    }
    o.single_shot = a.has("--single-shot");
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
