// khttpd's option table (kecho_options.h explains the rows). port, backlog,
// bind and root are read when khttpd loads (0444: a reload applies them);
// the rest are writable in /sys/module/khttpd/parameters.
#include "kecho_options.h"
#include "number_parse.h"

#include <array>
#include <limits>

namespace kecho::ctl {

namespace {

constexpr std::uint64_t kUintMax = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t kMaxTimeout = 3600; // khttpd's keepalive_timeout and header_timeout
constexpr std::uint64_t kMaxRoot = 255;     // khttpd's root[256], with its NUL

// In the order `modinfo khttpd` lists the parameters.
constexpr std::array<KechoOption, 8> kOptions = {{
    {"port", "--port", "N", ValueKind::Number, Apply::Reload, 1, 65535, "", "8080"},
    {"backlog", "--backlog", "N", ValueKind::Number, Apply::Reload, 1, kMaxBacklog, "", "128"},
    {"bind", "--bind", "ADDR", ValueKind::Address, Apply::Reload, 0, 0, "", ""},
    {"root", "--root", "DIR", ValueKind::Directory, Apply::Reload, 0, kMaxRoot, "", "/srv/khttpd"},
    {"listing", "--listing", "0|1", ValueKind::Bool, Apply::Live, 0, 1, "", "0"},
    {"max_conns", "--max-conns", "N", ValueKind::Number, Apply::Live, 0, kUintMax, "", "10000"},
    {"keepalive_timeout", "--keepalive-timeout", "SECONDS", ValueKind::Number, Apply::Live, 0,
     kMaxTimeout, "seconds", "15"},
    {"header_timeout", "--header-timeout", "SECONDS", ValueKind::Number, Apply::Live, 1,
     kMaxTimeout, "seconds", "10"},
}};

} // namespace

std::span<const KechoOption> khttpd_options() {
    return kOptions;
}

} // namespace kecho::ctl
