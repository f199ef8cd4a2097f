#include "options.h"

#include "cli_args.h"
#include "parse_number.h"

#include <array>
#include <cstdint>

namespace kecho::bench {

namespace {

// What each one does is usage()'s text, below.
constexpr std::array<OptionSpec, 16> kOptions = {{
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
        else
            throw UsageError("--mode: expected crr, rr, stream, sweep or idle, got '" + *v + "'");
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
    if (a.has("--requests") && a.has("--duration"))
        throw UsageError("--duration and --requests exclude each other");
    return o;
}

std::string usage() {
    return "usage: bench [options]\n"
           "  --mode M        crr | rr | stream | sweep | idle (default rr)\n"
           "                  crr: a connection per request; rr: persistent ping-pong;\n"
           "                  stream: bulk echo; sweep: latency as concurrency rises, all\n"
           "                  connections released together; idle: hold --conns open\n"
           "  --host H        server address (default 127.0.0.1)\n"
           "  --port N        server port (default 12345)\n"
           "  --conns N       concurrent connections (default 1)\n"
           "  --threads N     client threads (default: one per CPU)\n"
           "  --size N        message size in bytes (default 64)\n"
           "  --framed        rr, crr: each message is a 4-byte big-endian length, then\n"
           "                  --size bytes (kecho mode=message; the echo must match whole)\n"
           "  --duration S    seconds to measure (idle: to hold) (default 10)\n"
           "  --requests N    stop after N measured requests instead\n"
           "  --warmup S      seconds run before measuring (default 1)\n"
           "  --steps A,B,..  sweep: concurrency levels (default 1,10,100,250,500,1000)\n"
           "  --rounds N      sweep: bursts per level (default 20)\n"
           "  --format F      human | csv | json (default human)\n"
           "  --label TEXT    copied into the CSV/JSON rows\n"
           "  --no-header     CSV: no header line\n";
}

} // namespace kecho::bench
