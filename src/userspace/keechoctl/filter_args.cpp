#include "filter_args.h"

namespace kecho::ctl {

SockFilter filter_from_args(const ParsedArgs& args) {
    FilterArgs f;
    f.states = args.values("--state");
    f.port = args.value("--port");
    f.sport = args.value("--sport");
    f.dport = args.value("--dport");
    f.src = args.value("--src");
    f.dst = args.value("--dst");
    return parse_filter(f);
}

} // namespace kecho::ctl
