// A module as modinfo(8) shows it: its parameters (the "parm" and "parmtype"
// keys), srcversion and signer, read by libkmod from the file without
// loading it.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kecho::ctl {

struct ModuleParamInfo {
    std::string name;
    std::string description; // MODULE_PARM_DESC, "" without one
    std::string type;        // "uint", "bint", "string"...; "" for a parameter with its own ops
};

struct ModuleInfo {
    std::string path;                    // the module file read
    std::vector<ModuleParamInfo> params; // in the order the module declares them
    std::string srcversion;              // "" without one
    std::string signer;                  // "" when the module carries no signature
};

// From a module file, e.g. the build's src/kernel/kecho.ko. Throws std::system_error.
ModuleInfo module_info_from_file(const std::string& path);

// From the file modprobe would load for the running kernel; nullopt when no
// such module is installed.
std::optional<ModuleInfo> installed_module_info(const std::string& module);

} // namespace kecho::ctl
