// RAII owners for libkmod's reference-counted objects.
#pragma once

#include <libkmod.h>
#include <memory>

namespace kecho::ctl {

struct KmodCtxUnref {
    void operator()(kmod_ctx* ctx) const noexcept { kmod_unref(ctx); }
};
struct KmodModuleUnref {
    void operator()(kmod_module* mod) const noexcept { kmod_module_unref(mod); }
};
struct KmodListUnref {
    void operator()(kmod_list* list) const noexcept { kmod_module_unref_list(list); }
};

// kmod_module_get_info()'s key/value list.
struct KmodInfoListFree {
    void operator()(kmod_list* list) const noexcept { kmod_module_info_free_list(list); }
};

using KmodCtx = std::unique_ptr<kmod_ctx, KmodCtxUnref>;
using KmodModule = std::unique_ptr<kmod_module, KmodModuleUnref>;
using KmodList = std::unique_ptr<kmod_list, KmodListUnref>;
using KmodInfoList = std::unique_ptr<kmod_list, KmodInfoListFree>;

} // namespace kecho::ctl
