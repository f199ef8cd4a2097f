#include "filters.h"

#include "errors.h"
#include "number_parse.h"
#include "tcp_state.h"

namespace kecho::ctl {

bool SockFilter::empty() const {
    return states == 0 && !port && !sport && !dport && !src && !dst;
}

std::uint32_t SockFilter::state_mask() const {
    return states == 0 ? kAllStates : states;
}

bool SockFilter::matches(const SockInfo& sock) const {
    if ((state_mask() & state_bit(sock.state)) == 0)
        return false;
    if (port && sock.sport != *port && sock.dport != *port)
        return false;
    if (sport && sock.sport != *sport)
        return false;
    if (dport && sock.dport != *dport)
        return false;
    if (src && !src->contains(sock.src))
        return false;
    if (dst && !dst->contains(sock.dst))
        return false;
    return true;
}

std::string SockFilter::describe() const {
    std::string out;
    const auto add = [&](const std::string& part) {
        if (!out.empty())
            out += ", ";
        out += part;
    };
    if (states != 0) {
        std::string names;
        for (unsigned s = 1; s < kMaxState; ++s)
            if ((states & state_bit(s)) != 0)
                names += (names.empty() ? "" : "|") + std::string(tcp_state_name(s));
        add("state " + names);
    }
    if (port)
        add("port " + std::to_string(*port));
    if (sport)
        add("sport " + std::to_string(*sport));
    if (dport)
        add("dport " + std::to_string(*dport));
    if (src)
        add("src " + src->to_string());
    if (dst)
        add("dst " + dst->to_string());
    return out.empty() ? "all sockets" : out;
}

SockFilter parse_filter(const FilterArgs& args) {
    SockFilter f;
    for (const auto& name : args.states) {
        const auto mask = parse_state_mask(name);
        if (!mask)
            throw UsageError("--state: unknown TCP state '" + name +
                             "' (try ESTABLISHED, TIME_WAIT, LISTEN, ..., all, connected)");
        f.states |= *mask;
    }
    if (args.port)
        f.port = parse_port(*args.port, "--port");
    if (args.sport)
        f.sport = parse_port(*args.sport, "--sport");
    if (args.dport)
        f.dport = parse_port(*args.dport, "--dport");
    if (args.src)
        f.src = parse_prefix(*args.src, "--src");
    if (args.dst)
        f.dst = parse_prefix(*args.dst, "--dst");
    return f;
}

} // namespace kecho::ctl
