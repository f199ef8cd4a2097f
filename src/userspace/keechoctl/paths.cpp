#include "paths.h"

#include <cstdlib>

namespace kecho::ctl {

namespace {

void override_from(const char* var, std::string& field) {
    const char* value = std::getenv(var); // NOLINT(concurrency-mt-unsafe): read once at start
    if (value != nullptr && *value != '\0')
        field = value;
}

} // namespace

Paths Paths::from_env() {
    Paths paths;
    override_from("KEECHOCTL_PROC_ROOT", paths.proc_root);
    override_from("KEECHOCTL_SYS_ROOT", paths.sys_root);
    override_from("KEECHOCTL_MODPROBE_CONF", paths.modprobe_conf);
    override_from("KEECHOCTL_MODULES_ROOT", paths.modules_root);
    return paths;
}

std::string Paths::module_dir(const std::string& module) const {
    return sys_root + "/module/" + module;
}

std::string Paths::module_params_dir(const std::string& module) const {
    return module_dir(module) + "/parameters";
}

std::string Paths::stats_file(std::string_view module) const {
    return proc_root + "/net/" + std::string(module);
}

std::string Paths::drop_tcp_sock() const {
    return proc_root + "/net/drop_tcp_sock";
}

std::string Paths::lockdown() const {
    return sys_root + "/kernel/security/lockdown";
}

bool Paths::custom_modprobe_conf() const {
    const std::string dir = std::string(kModprobeDir) + "/";
    const bool read_anyway = modprobe_conf.starts_with(dir) && modprobe_conf.ends_with(".conf") &&
                             modprobe_conf.find('/', dir.size()) == std::string::npos;
    return !read_anyway;
}

} // namespace kecho::ctl
