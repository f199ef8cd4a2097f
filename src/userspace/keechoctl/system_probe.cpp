#include "system_probe.h"

#include "diag_socket.h"
#include "echo_client.h"
#include "file_io.h"
#include "kecho_stats.h"
#include "number_parse.h"
#include "tcp_state.h"

#include <algorithm>

namespace kecho::ctl {

bool SystemProbe::module_loaded() {
    return kecho_.loaded();
}

std::optional<std::uint16_t> SystemProbe::configured_port() {
    const auto value = kecho_.param("port");
    if (!value)
        return std::nullopt;
    const auto port = parse_decimal(*value);
    if (!port || *port == 0 || *port > 65535)
        return std::nullopt;
    return static_cast<std::uint16_t>(*port);
}

bool SystemProbe::listener_present(std::uint16_t port) {
    try {
        return std::ranges::any_of(list_tcp_sockets(state_bit(kListen)),
                                   [port](const SockInfo& s) { return s.sport == port; });
    } catch (const std::exception&) {
        // No inet_diag: fall back to what kecho says it serves.
        const auto text = read_file(paths_.kecho_stats());
        return text && parse_kecho_stats(*text).get("port") == port;
    }
}

EchoResult SystemProbe::echo(std::uint16_t port) {
    return echo_round_trip(echo_target(kecho_.param("bind").value_or("")), port, timeout_);
}

} // namespace kecho::ctl
