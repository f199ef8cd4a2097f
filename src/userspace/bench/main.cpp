// bench: load generator for kecho and the userspace echo servers.
#include "fanout.h"
#include "fd_limit.h"
#include "modes.h"
#include "options.h"
#include "result.h"

#include <csignal>
#include <exception>
#include <iostream>
#include <stdexcept>

namespace {

void print(const kecho::bench::Options& o, const std::vector<kecho::bench::Result>& rs) {
    using namespace kecho::bench;
    if (o.format == Format::csv && o.header)
        std::cout << csv_header();
    for (const auto& r : rs) {
        switch (o.format) {
        case Format::human:
            std::cout << format_human(r);
            break;
        case Format::csv:
            std::cout << format_csv(r);
            break;
        case Format::json:
            std::cout << format_json(r);
            break;
        }
    }
    std::cout.flush();
}

} // namespace

int main(int argc, char** argv) {
    using namespace kecho::bench;
    Options o;
    try {
        o = parse_options({argv + 1, static_cast<std::size_t>(argc - 1)});
    } catch (const std::exception& e) {
        std::cerr << "bench: " << e.what() << "\n" << usage();
        return 2;
    }
    if (o.help) {
        std::cout << usage();
        return 0;
    }
    try {
        std::signal(SIGPIPE, SIG_IGN);
        kecho::raise_fd_limit();
        Target t = resolve_target(o.host, o.port);
        if (o.sources > 0) {
            if (t.addr.ss_family != AF_INET)
                throw std::runtime_error("--sources: " + t.text + " is not an IPv4 address");
            t.sources = o.sources;
        }
        std::vector<Result> rs;
        switch (o.mode) {
        case Mode::crr:
        case Mode::rr:
        case Mode::stream:
            rs.push_back(o.blocking ? run_load_blocking(o, t) : run_load(o, t));
            break;
        case Mode::sweep:
            rs = run_sweep(o, t);
            break;
        case Mode::idle:
            rs.push_back(run_idle(o, t));
            break;
        case Mode::fanout: {
            // Its own columns: deliveries, CPU and memory, not requests.
            const FanoutResult f = run_fanout(o, t);
            if (o.format == Format::csv)
                std::cout << (o.header ? fanout_csv_header() : "") << format_fanout_csv(f);
            else
                std::cout << format_fanout_human(f);
            std::cout.flush();
            return f.errors == 0 ? 0 : 3;
        }
        }
        print(o, rs);
    } catch (const std::exception& e) {
        std::cerr << "bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
