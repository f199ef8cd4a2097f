#include "kmod_loader.h"

#include "errors.h"
#include "file_io.h"
#include "install_state.h"
#include "load_errors.h"
#include "modprobe_conf.h"
#include "number_parse.h"

#include <array>
#include <cerrno>
#include <sys/utsname.h>

namespace kecho::ctl {

namespace {

KmodCtx make_ctx(const Paths& paths) {
    KmodCtx ctx;
    // The modules of the running kernel; a test's own tree when
    // KEECHOCTL_MODULES_ROOT says so (libkmod's default is /lib/modules).
    std::string dirname;
    if (paths.modules_root != Paths().modules_root)
        dirname = paths.modules_root + "/" + kernel_release();
    const char* dir = dirname.empty() ? nullptr : dirname.c_str();
    if (paths.custom_modprobe_conf()) {
        // The given file first, then the directories modprobe reads by default.
        const std::array<const char*, 6> config = {
            paths.modprobe_conf.c_str(), "/etc/modprobe.d", "/run/modprobe.d",
            "/usr/local/lib/modprobe.d", "/lib/modprobe.d", nullptr};
        ctx.reset(kmod_new(dir, config.data()));
    } else {
        ctx.reset(kmod_new(dir, nullptr));
    }
    if (!ctx)
        throw SystemError("libkmod: cannot create a context");
    kmod_load_resources(ctx.get()); // optional: lookups work without the indexes
    return ctx;
}

std::optional<std::uint16_t> configured_port(const Paths& paths, const std::string& module) {
    try {
        const auto text = read_file(paths.modprobe_conf);
        if (!text)
            return std::nullopt;
        const auto opts = ModprobeConf::parse(*text, paths.modprobe_conf).options(module);
        const auto it = opts.find("port");
        if (it == opts.end())
            return std::nullopt;
        const auto v = parse_decimal(it->second);
        if (v && *v <= 65535)
            return static_cast<std::uint16_t>(*v);
    } catch (const std::exception&) {
        // Only used to make a message better.
    }
    return std::nullopt;
}

} // namespace

std::string kernel_release() {
    utsname u{};
    if (::uname(&u) != 0)
        return "unknown";
    return u.release;
}

KmodLoader::KmodLoader(Paths paths) : paths_(std::move(paths)) {}

void KmodLoader::load(const std::string& module) const {
    LoadFailure failure;
    failure.module = module;
    failure.kernel_release = kernel_release();

    const KmodCtx ctx = make_ctx(paths_);
    kmod_list* raw = nullptr;
    const int lookup = kmod_module_new_from_lookup(ctx.get(), module.c_str(), &raw);
    const KmodList list(raw);
    if (lookup < 0 && lookup != -ENOENT) {
        failure.err = -lookup;
        throw SystemError(explain_load_failure(failure));
    }
    // No module file for this kernel, in the index or on disk.
    const auto not_found = [&] {
        failure.found = false;
        failure.headers = kernel_has_headers(paths_, failure.kernel_release);
        return ModuleNotFound(explain_load_failure(failure));
    };
    if (lookup < 0 || !list)
        throw not_found();
    kmod_list* item = nullptr;
    kmod_list_foreach(item, list.get()) {
        const KmodModule mod(kmod_module_get_module(item));
        const int ret = kmod_module_probe_insert_module(mod.get(), KMOD_PROBE_APPLY_BLACKLIST,
                                                        nullptr, nullptr, nullptr, nullptr);
        if (ret == 0)
            continue;
        if (ret == -ENOENT)
            throw not_found();
        failure.err = ret > 0 ? ENODEV : -ret;
        if (failure.err == EPERM) {
            const auto lockdown = read_first_line(paths_.lockdown());
            failure.lockdown = lockdown && lockdown_active(*lockdown);
        }
        if (failure.err == EADDRINUSE)
            failure.port = configured_port(paths_, module);
        throw SystemError(explain_load_failure(failure));
    }
}

bool KmodLoader::unload(const std::string& module) const {
    const KmodCtx ctx = make_ctx(paths_);
    kmod_module* raw = nullptr;
    const int err = kmod_module_new_from_name(ctx.get(), module.c_str(), &raw);
    if (err < 0)
        throw SystemError(explain_unload_failure(module, -err));
    const KmodModule mod(raw);
    const int state = kmod_module_get_initstate(mod.get());
    if (state < 0)
        return false;
    if (state == KMOD_MODULE_BUILTIN)
        throw SystemError("cannot unload " + module + ": built into the kernel");
    const int ret = kmod_module_remove_module(mod.get(), 0);
    if (ret < 0)
        throw SystemError(explain_unload_failure(module, -ret));
    return true;
}

void KmodLoader::reload(const std::string& module) const {
    unload(module);
    load(module);
}

std::string KmodLoader::configured_options(const std::string& module) const {
    const KmodCtx ctx = make_ctx(paths_);
    kmod_module* raw = nullptr;
    const int err = kmod_module_new_from_name(ctx.get(), module.c_str(), &raw);
    if (err < 0)
        throw_errno(-err, "libkmod: cannot look up " + module);
    const KmodModule mod(raw);
    const char* options = kmod_module_get_options(mod.get());
    return options != nullptr ? options : "";
}

} // namespace kecho::ctl
