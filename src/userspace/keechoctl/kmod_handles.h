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

using KmodCtx = std::unique_ptr<kmod_ctx, KmodCtxUnref>;
using KmodModule = std::unique_ptr<kmod_module, KmodModuleUnref>;
using KmodList = std::unique_ptr<kmod_list, KmodListUnref>;

} // namespace kecho::ctl
