// The server keechoctl manages, chosen once by `--module` (default kecho)
// and used by every command: the kernel module's name (which is also its
// /sys/module and /proc/net name and its modprobe.d file's), its option
// table and how health checks it. Nothing else in keechoctl tells kecho
// from khttpd.
#pragma once

#include "kecho_options.h"

#include <span>
#include <string>
#include <string_view>

namespace kecho::ctl {

enum class HealthCheck {
    Echo, // kecho: bytes (or a message) echoed back, in kecho's mode
    Http, // khttpd: GET / answered with an HTTP/1.x status line
};

struct Server {
    std::string_view module;  // "kecho": /sys/module/kecho, /proc/net/kecho
    std::string_view summary; // "the kecho in-kernel TCP echo server", for help
    std::span<const KechoOption> options;
    HealthCheck health = HealthCheck::Echo;

    // The row for `param`; nullptr when the table has none.
    [[nodiscard]] const KechoOption* find_option(std::string_view param) const;
    // /etc/modprobe.d/MODULE.conf
    [[nodiscard]] std::string default_modprobe_conf() const;
};

const Server& kecho_server();
const Server& khttpd_server();

// Every server, kecho first.
std::span<const Server* const> servers();

// The server whose module is `module` ('-' and '_' alike); nullptr if none.
const Server* find_server(std::string_view module);

// "kecho or khttpd", for messages.
std::string server_names();

// How to run keechoctl for `module`, for messages that name a command:
// "keechoctl" for kecho, "keechoctl --module khttpd" for another.
std::string keechoctl_for(std::string_view module);

} // namespace kecho::ctl
