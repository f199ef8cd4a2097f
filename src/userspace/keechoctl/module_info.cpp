#include "module_info.h"

#include "errors.h"
#include "kmod_handles.h"

#include <algorithm>

namespace kecho::ctl {

namespace {

KmodCtx new_ctx() {
    KmodCtx ctx(kmod_new(nullptr, nullptr));
    if (!ctx)
        throw SystemError("libkmod: cannot create a context");
    return ctx;
}

ModuleParamInfo& param_named(std::vector<ModuleParamInfo>& params, const std::string& name) {
    const auto it = std::find_if(params.begin(), params.end(),
                                 [&name](const ModuleParamInfo& p) { return p.name == name; });
    if (it != params.end())
        return *it;
    params.push_back({name, "", ""});
    return params.back();
}

ModuleInfo read_info(kmod_module* mod) {
    ModuleInfo info;
    const char* path = kmod_module_get_path(mod);
    info.path = path != nullptr ? path : "";
    kmod_list* raw = nullptr;
    const int n = kmod_module_get_info(mod, &raw);
    const KmodInfoList list(raw);
    if (n < 0)
        throw_errno(-n, "modinfo " + info.path);
    kmod_list* item = nullptr;
    kmod_list_foreach(item, list.get()) {
        const char* raw_key = kmod_module_info_get_key(item);
        const char* raw_value = kmod_module_info_get_value(item);
        const std::string key = raw_key != nullptr ? raw_key : "";
        if (raw_value == nullptr)
            continue;
        if (key == "srcversion")
            info.srcversion = raw_value;
        else if (key == "signer")
            info.signer = raw_value;
        if (key != "parm" && key != "parmtype")
            continue;
        // "NAME:description" or "NAME:type"
        const std::string value = raw_value;
        const auto colon = value.find(':');
        ModuleParamInfo& param = param_named(info.params, value.substr(0, colon));
        const std::string rest = colon == std::string::npos ? "" : value.substr(colon + 1);
        (key == "parm" ? param.description : param.type) = rest;
    }
    return info;
}

} // namespace

ModuleInfo module_info_from_file(const std::string& path) {
    const KmodCtx ctx = new_ctx();
    kmod_module* raw = nullptr;
    const int err = kmod_module_new_from_path(ctx.get(), path.c_str(), &raw);
    if (err < 0)
        throw_errno(-err, "modinfo " + path);
    const KmodModule mod(raw);
    return read_info(mod.get());
}

std::optional<ModuleInfo> installed_module_info(const std::string& module) {
    const KmodCtx ctx = new_ctx();
    kmod_list* raw = nullptr;
    const int err = kmod_module_new_from_lookup(ctx.get(), module.c_str(), &raw);
    const KmodList list(raw);
    if (err < 0 || !list)
        return std::nullopt;
    const KmodModule mod(kmod_module_get_module(list.get()));
    if (kmod_module_get_path(mod.get()) == nullptr)
        return std::nullopt; // built in: no file to read
    return read_info(mod.get());
}

} // namespace kecho::ctl
