#include "options.h"

#include "option_cursor.h"

#include <charconv>
#include <stdexcept>

namespace kecho::bench {

namespace {

template <class T> T parse_num(const std::string& opt, const std::string& text, T min, T max) {
    T v{};
    const char* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc() || p != end || !(v >= min) || !(v <= max))
        throw std::invalid_argument(opt + ": expected a number in [" + std::to_string(min) + ", " +
                                    std::to_string(max) + "], got '" + text + "'");
    return v;
}

std::vector<unsigned> parse_steps(const std::string& text) {
    std::vector<unsigned> steps;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t comma = std::min(text.find(',', pos), text.size());
        steps.push_back(parse_num<unsigned>("--steps", text.substr(pos, comma - pos), 1, 100000));
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
    Options o;
    bool requests_set = false;
    bool duration_set = false;
    for (OptionCursor arg(args); arg.next();) {
        const std::string& a = arg.name();
        if (a == "--help" || a == "-h") {
            o.help = true;
        } else if (a == "--host") {
            o.host = arg.value();
            if (o.host.empty())
                throw std::invalid_argument("--host: empty");
        } else if (a == "--port") {
            o.port = parse_num<uint16_t>(a, arg.value(), 1, 65535);
        } else if (a == "--conns") {
            o.conns = parse_num<unsigned>(a, arg.value(), 1, 1000000);
        } else if (a == "--threads") {
            o.threads = parse_num<unsigned>(a, arg.value(), 1, 1024);
        } else if (a == "--size") {
            o.size = parse_num<std::size_t>(a, arg.value(), 1, 64U << 20);
        } else if (a == "--duration") {
            o.duration = parse_num<double>(a, arg.value(), 0.001, 86400.0);
            duration_set = true;
        } else if (a == "--requests") {
            o.requests = parse_num<uint64_t>(a, arg.value(), 1, UINT64_MAX);
            requests_set = true;
        } else if (a == "--warmup") {
            o.warmup = parse_num<double>(a, arg.value(), 0.0, 3600.0);
        } else if (a == "--rounds") {
            o.rounds = parse_num<unsigned>(a, arg.value(), 1, 1000000);
        } else if (a == "--steps") {
            o.steps = parse_steps(arg.value());
        } else if (a == "--label") {
            o.label = arg.value();
            if (o.label.find_first_of(",\"\\\n") != std::string::npos)
                throw std::invalid_argument("--label: must not contain , \" \\ or a newline");
        } else if (a == "--no-header") {
            o.header = false;
        } else if (a == "--mode") {
            const std::string m = arg.value();
            if (m == "crr")
                o.mode = Mode::crr;
            else if (m == "rr")
                o.mode = Mode::rr;
            else if (m == "stream")
                o.mode = Mode::stream;
            else if (m == "sweep")
                o.mode = Mode::sweep;
            else if (m == "idle")
                o.mode = Mode::idle;
            else
                throw std::invalid_argument(
                    "--mode: expected crr, rr, stream, sweep or idle, got '" + m + "'");
        } else if (a == "--format") {
            const std::string f = arg.value();
            if (f == "human")
                o.format = Format::human;
            else if (f == "csv")
                o.format = Format::csv;
            else if (f == "json")
                o.format = Format::json;
            else
                throw std::invalid_argument("--format: expected human, csv or json, got '" + f +
                                            "'");
        } else {
            throw std::invalid_argument("unknown option '" + arg.raw() + "'");
        }
    }
    if (requests_set && duration_set)
        throw std::invalid_argument("--duration and --requests exclude each other");
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
