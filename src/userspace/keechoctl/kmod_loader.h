// Loading and unloading modules through libkmod, as modprobe does: the
// options, blacklists and install commands of modprobe.d apply.
#pragma once

#include "kmod_handles.h"
#include "paths.h"

#include <string>

namespace kecho::ctl {

// Each call reads modprobe.d afresh, as a modprobe run does: a daemon that
// restores kecho after `keechoctl reconfigure` must load it with the new
// options, and libkmod reads its configuration once per context.
class KmodLoader {
  public:
    explicit KmodLoader(Paths paths);
    // Load `module` (a no-op if already loaded). Throws SystemError with a
    // message that says what to do (see load_errors.h).
    void load(const std::string& module) const;
    // Unload `module`; false if it was not loaded. Throws SystemError.
    bool unload(const std::string& module) const;
    // Unload `module` if loaded, then load it: every modprobe.d option applies.
    void reload(const std::string& module) const;
    // The options modprobe.d gives `module` now, as load() would apply them.
    [[nodiscard]] std::string configured_options(const std::string& module) const;

  private:
    Paths paths_;
};

// uname -r
std::string kernel_release();

} // namespace kecho::ctl
