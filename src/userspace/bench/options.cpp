#include "options.h"

#include "cli_args.h"
#include "parse_number.h"

#include <array>
#include <cstdint>

namespace kecho::bench {

namespace {

// What each one does is usage()'s text, below.
constexpr std::array<OptionSpec, 24> kOptions = {{
    kHelpOption,
    {"--host", "H", ""},
    {"--port", "N", ""},
    {"--conns", "N", ""},
    {"--threads", "N", ""},
    {"--size", "N", ""},
    {"--duration", "S", ""},
    {"--requests", "N", ""},
    {"--warmup", "S", ""},
    {"--steps", "A,B,..", ""},
    {"--rounds", "N", ""},
    {"--format", "F", ""},
    {"--label", "TEXT", ""},
    {"--no-header", "", ""},
    {"--mode", "M", ""},
    {"--framed", "", ""},
    {"--client", "C", ""},
    {"--sources", "N", ""},
    {"--senders", "S", ""},
    {"--receivers", "R", ""},
    {"--rate", "N", ""},
    {"--window", "W", ""},
    {"--server-pid", "PID", ""},
    {"--server-kworkers", "", ""},
}};

std::vector<unsigned> parse_steps(const std::string& text) {
    std::vector<unsigned> steps;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t comma = std::min(text.find(',', pos), text.size());
        steps.push_back(
            parse_number<unsigned>(text.substr(pos, comma - pos), "--steps " + text, 1, 100000));
        pos = comma + 1;
    }
    return steps;
}

} // namespace

std::string to_string(Mode m) {
    switch (m) {
    case Mode::crr:
        return "crr";
    case Mode::rr:
        return "rr";
    case Mode::stream:
        return "stream";
    case Mode::sweep:
        return "sweep";
    case Mode::idle:
        return "idle";
    case Mode::fanout:
        return "fanout";
    }
    return "?";
}

std::string to_string(Format f) {
    switch (f) {
    case Format::human:
        return "human";
    case Format::csv:
        return "csv";
    case Format::json:
        return "json";
    }
    return "?";
}

Options parse_options(std::span<const char* const> args) {
    // Empty values pass here: "--label=" is a label; numbers refuse them.
    const ParsedArgs a = parse_args(args, kOptions, "", EmptyValues::allow);
    refuse_positionals(a, "");
    Options o;
    o.help = a.has("--help");
    if (const auto v = a.value("--host")) {
        o.host = *v;
        if (o.host.empty())
            throw UsageError("--host: empty");
    }
    if (const auto v = a.value("--port"))
        o.port = parse_port(*v, "--port");
    if (const auto v = a.value("--conns"))
        o.conns = parse_number<unsigned>(*v, "--conns", 1, 1000000);
    if (const auto v = a.value("--threads"))
        o.threads = parse_number<unsigned>(*v, "--threads", 1, 1024);
    if (const auto v = a.value("--size"))
        o.size = parse_number<std::size_t>(*v, "--size", 1, 64U << 20);
    if (const auto v = a.value("--duration"))
        o.duration = parse_number<double>(*v, "--duration", 0.001, 86400.0);
    if (const auto v = a.value("--requests"))
        o.requests = parse_number<uint64_t>(*v, "--requests", 1, UINT64_MAX);
    if (const auto v = a.value("--warmup"))
        o.warmup = parse_number<double>(*v, "--warmup", 0.0, 3600.0);
    if (const auto v = a.value("--rounds"))
        o.rounds = parse_number<unsigned>(*v, "--rounds", 1, 1000000);
    if (const auto v = a.value("--steps"))
        o.steps = parse_steps(*v);
    if (const auto v = a.value("--label")) {
        o.label = *v;
        if (o.label.find_first_of(",\"\\\n") != std::string::npos)
            throw UsageError("--label: '" + o.label + "' must not contain , \" \\ or a newline");
    }
    o.header = !a.has("--no-header");
    if (const auto v = a.value("--mode")) {
        if (*v == "crr")
            o.mode = Mode::crr;
        else if (*v == "rr")
            o.mode = Mode::rr;
        else if (*v == "stream")
            o.mode = Mode::stream;
        else if (*v == "sweep")
            o.mode = Mode::sweep;
        else if (*v == "idle")
            o.mode = Mode::idle;
        else if (*v == "fanout")
            o.mode = Mode::fanout;
        else
            throw UsageError("--mode: expected crr, rr, stream, sweep, idle or fanout, got '" + *v +
                             "'");
    }
    if (const auto v = a.value("--format")) {
        if (*v == "human")
            o.format = Format::human;
        else if (*v == "csv")
            o.format = Format::csv;
        else if (*v == "json")
            o.format = Format::json;
        else
            throw UsageError("--format: expected human, csv or json, got '" + *v + "'");
    }
    o.framed = a.has("--framed");
    if (o.framed && o.mode != Mode::rr && o.mode != Mode::crr)
        throw UsageError("--framed: only with --mode rr or crr");
    if (const auto v = a.value("--sources"))
        o.sources = parse_number<unsigned>(*v, "--sources", 1, 254);
    if (const auto v = a.value("--client")) {
        if (*v == "blocking")
            o.blocking = true;
        else if (*v != "epoll")
            throw UsageError("--client: expected epoll or blocking, got '" + *v + "'");
        if (o.blocking && o.mode != Mode::rr && o.mode != Mode::crr)
            throw UsageError("--client blocking: only with --mode rr or crr");
        if (o.blocking && o.framed)
            throw UsageError("--client blocking: not with --framed");
    }
    if (const auto v = a.value("--senders"))
        o.senders = parse_number<unsigned>(*v, "--senders", 1, 100000);
    if (const auto v = a.value("--receivers"))
        o.receivers = parse_number<unsigned>(*v, "--receivers", 0, 1000000);
    if (const auto v = a.value("--rate"))
        o.rate = parse_number<double>(*v, "--rate", 0.0, 1e9);
    if (const auto v = a.value("--window"))
        o.window = parse_number<unsigned>(*v, "--window", 1, 1000000);
    if (const auto v = a.value("--server-pid"))
        o.server_pid = parse_number<unsigned>(*v, "--server-pid", 1, 1U << 30);
    o.server_kworkers = a.has("--server-kworkers");
    const bool fanout_opt =
        a.has("--senders") || a.has("--receivers") || a.has("--rate") || a.has("--window");
    if (fanout_opt && o.mode != Mode::fanout)
        throw UsageError("--senders, --receivers, --rate and --window: only with --mode fanout");
    if ((o.server_pid != 0 || o.server_kworkers) && (o.mode == Mode::sweep || o.mode == Mode::idle))
        throw UsageError("--server-pid, --server-kworkers: not with --mode sweep or idle");
    if (o.server_pid != 0 && o.server_kworkers)
        throw UsageError("--server-pid and --server-kworkers exclude each other");
    if (o.mode == Mode::stream && !a.has("--size"))
        o.size = kStreamDefaultSize;
    if (o.mode == Mode::fanout) {
        if (!a.has("--size"))
            o.size = 64;
        if (o.size < kFanoutMinSize)
            throw UsageError("--size: fanout messages carry a " + std::to_string(kFanoutMinSize) +
                             "-byte stamp, got " + std::to_string(o.size));
        if (o.senders + o.receivers < 2)
            throw UsageError("--senders, --receivers: a room needs two clients");
        if (a.has("--requests"))
            throw UsageError("--requests: not with --mode fanout (use --duration)");
    }
    if (a.has("--requests") && a.has("--duration"))
        throw UsageError("--duration and --requests exclude each other");
    return o;
}

std::string usage() {
    return "usage: bench [options]\n"
           "  --mode M        crr | rr | stream | sweep | idle | fanout (default rr)\n"
           "                  crr: a connection per request; rr: persistent ping-pong;\n"
           "                  stream: bulk echo (one read in 8 checked, the rest discarded\n"
           "                  unread); sweep: latency as concurrency rises, all\n"
           "                  connections released together; idle: hold --conns open\n"
           "  --host H        server address (default 127.0.0.1)\n"
           "  --port N        server port (default 12345)\n"
           "  --conns N       concurrent connections (default 1)\n"
           "  --threads N     client threads (default: one per CPU)\n"
           "  --size N        message size in bytes (default 64; stream: bytes per write,\n"
           "                  default 1 MiB)\n"
           "  --client C      rr, crr: epoll (default: each thread drives its share of\n"
           "                  --conns from one epoll loop) or blocking (a thread per\n"
           "                  connection, blocking send and recv, one clock read per request)\n"
           "  --sources N     connect from 127.0.0.1 .. 127.0.0.N in turn (an IPv4\n"
           "                  loopback server): N ephemeral port ranges, for more\n"
           "                  connections than one address has ports\n"
           "  --framed        rr, crr: each message is a 4-byte big-endian length, then\n"
           "                  --size bytes (kecho mode=message; the echo must match whole)\n"
           "  --duration S    seconds to measure (idle: to hold) (default 10)\n"
           "  --requests N    stop after N measured requests instead\n"
           "  --warmup S      seconds run before measuring (default 1)\n"
           "  --steps A,B,..  sweep: concurrency levels (default 1,10,100,250,500,1000)\n"
           "  --rounds N      sweep: bursts per level (default 20)\n"
           "  --format F      human | csv | json (default human)\n"
           "  --label TEXT    copied into the CSV/JSON rows\n"
           "  --no-header     CSV: no header line\n"
           "fanout (--mode fanout): a chat room, kecho mode=chat or user-echo-server\n"
           "  --mode chat. --senders S clients send --size-byte bodies (4-byte big-endian\n"
           "  length first; the body starts with sender, sequence and CLOCK_MONOTONIC send\n"
           "  time); every client (the --receivers R and the senders) reads, checks each\n"
           "  sender's order and times each delivery. Measuring starts --warmup after a\n"
           "  barrier: a probe from every sender has reached every client.\n"
           "  --senders S     sending clients (default 1)\n"
           "  --receivers R   clients that only receive (default 10)\n"
           "  --rate N        messages per second, all senders together (default 0: as\n"
           "                  fast as --window allows)\n"
           "  --window W      messages per sender not yet delivered to every client, at\n"
           "                  most (default 4)\n"
           "CPU (crr, rr, stream, fanout): the client's own CPU time over the measured\n"
           "  window, the whole guest's, and the server's:\n"
           "  --server-pid P  that process's CPU time (fanout: and VmRSS); a userspace server\n"
           "  --server-kworkers  the kworker threads' CPU time as the server's (kecho)\n";
}

} // namespace kecho::bench
