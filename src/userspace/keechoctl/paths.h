// Where keechoctl looks for things. Every root is overridable so tests can
// run against a temporary directory instead of the live system.
#pragma once

#include <string>
#include <string_view>

namespace kecho::ctl {

struct Paths {
    std::string proc_root = "/proc";
    std::string sys_root = "/sys";
    std::string modprobe_conf = "/etc/modprobe.d/kecho.conf";
    std::string modules_root = "/lib/modules";

    // Defaults, overridden by KEECHOCTL_PROC_ROOT, KEECHOCTL_SYS_ROOT,
    // KEECHOCTL_MODPROBE_CONF and KEECHOCTL_MODULES_ROOT when set and non-empty.
    static Paths from_env();

    [[nodiscard]] std::string module_dir(const std::string& module) const;
    [[nodiscard]] std::string module_params_dir(const std::string& module) const;
    // /proc/net/MODULE: a server's counters.
    [[nodiscard]] std::string stats_file(std::string_view module) const;
    [[nodiscard]] std::string drop_tcp_sock() const;
    [[nodiscard]] std::string lockdown() const;
    // True when the modprobe.d file is not one modprobe reads anyway (a
    // *.conf in /etc/modprobe.d): tests, --config elsewhere.
    [[nodiscard]] bool custom_modprobe_conf() const;
};

inline constexpr const char* kKecho = "kecho";
inline constexpr const char* kKhttpd = "khttpd";
inline constexpr const char* kDropModule = "drop_tcp_socket";
inline constexpr const char* kModprobeDir = "/etc/modprobe.d";
// kecho's; with --module the file is modprobe.d/MODULE.conf (server.h).
inline constexpr const char* kDefaultModprobeConf = "/etc/modprobe.d/kecho.conf";

} // namespace kecho::ctl
