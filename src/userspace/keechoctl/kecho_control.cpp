#include "kecho_control.h"

#include "kmod_loader.h"
#include "module_state.h"

namespace kecho::ctl {

void SystemKecho::set_param(const std::string& name, const std::string& value) {
    ModuleState(paths_, module_).set_param(name, value);
}

void SystemKecho::reload() {
    KmodLoader(paths_).reload(module_);
}

} // namespace kecho::ctl
