// What /sys/module says about a module: loaded or not, version, parameters.
#pragma once

#include "kecho_params.h"
#include "paths.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kecho::ctl {

class ModuleState {
  public:
    ModuleState(Paths paths, std::string module)
        : paths_(std::move(paths)), module_(std::move(module)) {}

    // Loaded and live (initstate "live"; built-in modules count too).
    [[nodiscard]] bool loaded() const;
    [[nodiscard]] std::optional<std::string> version() const;
    // Every readable parameter; empty if the module is not loaded.
    [[nodiscard]] ParamMap params() const;
    [[nodiscard]] std::optional<std::string> param(const std::string& name) const;
    // The parameters that apply live: their sysfs file is writable (mode
    // 0644, not 0444), as the module declared them.
    [[nodiscard]] std::set<std::string> live_params() const;
    // Write one parameter to a live module. Throws std::system_error with the
    // errno the module returned (e.g. "Address already in use").
    void set_param(const std::string& name, const std::string& value) const;
    [[nodiscard]] const std::string& name() const { return module_; }

  private:
    [[nodiscard]] std::vector<std::string> param_names() const;

    Paths paths_;
    std::string module_;
};

} // namespace kecho::ctl
