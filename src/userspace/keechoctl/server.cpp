#include "server.h"

#include "modprobe_conf.h"
#include "paths.h"

#include <algorithm>
#include <array>

namespace kecho::ctl {

const KechoOption* Server::find_option(std::string_view param) const {
    return kecho::ctl::find_option(options, param);
}

std::string Server::default_modprobe_conf() const {
    return std::string(kModprobeDir) + "/" + std::string(module) + ".conf";
}

const Server& kecho_server() {
    static const Server server{kKecho, "the kecho in-kernel TCP echo server", kecho_options(),
                               HealthCheck::Echo};
    return server;
}

const Server& khttpd_server() {
    static const Server server{kKhttpd, "the khttpd in-kernel HTTP/1.1 static file server",
                               khttpd_options(), HealthCheck::Http};
    return server;
}

std::span<const Server* const> servers() {
    static const std::array<const Server*, 2> all = {&kecho_server(), &khttpd_server()};
    return all;
}

const Server* find_server(std::string_view module) {
    const std::string name = normalize_module_name(module);
    const auto all = servers();
    const auto it = std::find_if(all.begin(), all.end(),
                                 [&name](const Server* s) { return s->module == name; });
    return it == all.end() ? nullptr : *it;
}

std::string server_names() {
    std::string out;
    const auto all = servers();
    for (size_t i = 0; i < all.size(); ++i) {
        if (i > 0)
            out += i + 1 == all.size() ? " or " : ", ";
        out += all[i]->module;
    }
    return out;
}

std::string keechoctl_for(std::string_view module) {
    if (module == kKecho)
        return "keechoctl";
    return "keechoctl --module " + std::string(module);
}

} // namespace kecho::ctl
