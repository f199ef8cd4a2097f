// Turning a failed module load or unload into a message that says what to do.
#pragma once

#include "errors.h"

#include <cstdint>
#include <optional>
#include <string>

namespace kecho::ctl {

struct LoadFailure {
    std::string module;
    std::string kernel_release;        // uname -r
    int err = 0;                       // positive errno; 0 with !found
    bool found = true;                 // libkmod found a .ko for this kernel
    std::optional<bool> headers;       // /lib/modules/RELEASE/build is there; nullopt: not looked
    bool lockdown = false;             // /sys/kernel/security/lockdown is not [none]
    std::optional<std::uint16_t> port; // the port kecho was asked to listen on
};

// The module is not installed for the running kernel: retrying cannot help
// until the administrator installs something (what() says what).
class ModuleNotFound : public SystemError {
  public:
    using SystemError::SystemError;
};

std::string explain_load_failure(const LoadFailure& failure);

// No MODULE for the running kernel RELEASE and no headers to build one, with
// the package to install: one clause, shared by load errors, status and health.
std::string no_module_no_headers(const std::string& module, const std::string& release);
std::string explain_unload_failure(const std::string& module, int err);

// What to do when Secure Boot refuses an unsigned module (enroll the DKMS
// MOK), as one clause.
std::string mok_hint();

// True if the lockdown file's content shows an active lockdown ("[integrity]").
bool lockdown_active(const std::string& lockdown_file_content);

} // namespace kecho::ctl
