#include "server_options.h"

#include "cli_args.h"
#include "parse_number.h"

#include <arpa/inet.h>
#include <array>

namespace kecho {

namespace {

// What each one does is server_usage()'s text, below.
constexpr std::array<OptionSpec, 11> kOptions = {{
    kHelpOption,
    {"--port", "N", ""},
    {"--backlog", "N", ""},
    {"--threads", "N", ""},
    {"--bind", "ADDR", ""},
    {"--single-shot", "", ""},
    {"--mode", "M", ""},
    {"--chat-queue", "BYTES", ""},
    {"--chat-echo", "", ""},
    {"--max-msg", "N", ""},
    {"--msg-order", "be|le", ""},
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
    if (const auto v = a.value("--mode")) {
        if (*v == "chat")
            o.chat = true;
        else if (*v != "echo")
            throw UsageError("--mode: expected echo or chat, got '" + *v + "'");
    }
    // The same ranges as kecho's module parameters.
    if (const auto v = a.value("--chat-queue"))
        o.chat_queue = parse_number<std::size_t>(*v, "--chat-queue", 4096, 1073741824);
    if (const auto v = a.value("--max-msg"))
        o.max_msg = parse_number<std::size_t>(*v, "--max-msg", 1, 1U << 30);
    if (const auto v = a.value("--msg-order")) {
        if (*v == "le")
            o.msg_le = true;
        else if (*v != "be")
            throw UsageError("--msg-order: expected be or le, got '" + *v + "'");
    }
    o.chat_echo = a.has("--chat-echo");
    if (!o.chat && (a.has("--chat-queue") || a.has("--chat-echo") || a.has("--max-msg") ||
                    a.has("--msg-order")))
        throw UsageError("--chat-queue, --chat-echo, --max-msg and --msg-order need --mode chat");
    return o;
}

std::string server_usage(const std::string& prog, bool uring) {
    std::string u = "usage: " + prog + " [--port N] [--backlog N] [--bind ADDR] [--threads N]" +
                    (uring ? " [--single-shot]"
                           : " [--mode echo|chat] [--chat-queue BYTES] [--chat-echo]\n"
                             "       [--max-msg N] [--msg-order be|le]") +
                    "\n"
                    "  --port N      TCP port (default 12345)\n"
                    "  --backlog N   listen backlog (default 128)\n"
                    "  --bind ADDR   IPv4 or IPv6 address (default: all, dual-stack)\n"
                    "  --threads N   worker threads (default: one per CPU)\n";
    if (uring)
        u += "  --single-shot do not use multishot accept/recv or buffer rings\n";
    else
        u += "  --mode M      echo (default) | chat: relay each length-prefixed message to\n"
             "                every other client, as kecho mode=chat\n"
             "  --chat-queue BYTES  chat: a receiver's queue bound (default 1048576; each\n"
             "                message charged 4 + body + 32); past it the receiver is reset\n"
             "  --chat-echo   chat: the sender gets its own messages too\n"
             "  --max-msg N   chat: largest body (default 65536); a bigger header resets\n"
             "  --msg-order be|le  chat: byte order of the length (default be)\n";
    return u;
}

} // namespace kecho
