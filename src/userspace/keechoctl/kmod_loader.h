// Loading and unloading modules through libkmod, as modprobe does: the
// options, blacklists and install commands of modprobe.d apply.
#pragma once

#include "kmod_handles.h"
#include "paths.h"

#include <string>

namespace kecho::ctl {

class KmodLoader {
  public:
    explicit KmodLoader(Paths paths); // throws SystemError
    // Load `module` (a no-op if already loaded). Throws SystemError with a
    // message that says what to do (see load_errors.h).
    void load(const std::string& module);
    // Unload `module`; false if it was not loaded. Throws SystemError.
    bool unload(const std::string& module);

  private:
    Paths paths_;
    KmodCtx ctx_;
};

// uname -r
std::string kernel_release();

} // namespace kecho::ctl
