// What DKMS users trip over, read off the system, for one server module
// (kecho or khttpd, both from kecho-dkms): every installed kernel with
// whether it has headers and the module, Secure Boot and the module's
// signature, and whether the loaded module is the installed build.
// inspect_install() reads the files; the verdicts below are pure, so the
// tests give them fake trees and fake module facts.
#pragma once

#include "paths.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kecho::ctl {

// What keechoctl needs from a module file (libkmod's modinfo).
struct ModuleFacts {
    std::string srcversion;
    std::string signer; // "" when the module carries no signature
};

struct KernelEntry {
    std::string release;
    bool running = false;
    bool headers = false;              // /lib/modules/RELEASE/build is a directory
    std::string module_path;           // the module modprobe would find, "" if none
    std::optional<ModuleFacts> module; // its facts, when it could be read
};

struct InstallState {
    std::string module; // "kecho"
    std::string running_release;
    std::vector<KernelEntry> kernels;             // sorted by release; the running one included
    std::optional<bool> secure_boot;              // nullopt: not booted with EFI
    std::optional<std::string> loaded_srcversion; // /sys/module/MODULE/srcversion
};

// modules_root: /lib/modules; reader: modinfo of a module file (throws on
// an unreadable one, which is then left without facts).
InstallState inspect_install(const Paths& paths, const std::string& module,
                             const std::string& running_release,
                             const std::function<ModuleFacts(const std::string&)>& reader);

// The real one: libkmod on the running system.
InstallState inspect_install(const Paths& paths, const std::string& module);

// RELEASE's headers are installed: /lib/modules/RELEASE/build is a
// directory (what DKMS builds against).
bool kernel_has_headers(const Paths& paths, const std::string& release);

// The running kernel's entry (always present after inspect_install).
const KernelEntry* running_kernel(const InstallState& s);

// The loaded module is not the one installed for the running kernel (an
// upgrade built a new one): the text says what to do; nullopt when they match
// or either is unknown.
std::optional<std::string> stale_module_warning(const InstallState& s);

// Kernels after which the module would be missing: no module and no headers
// to build one. One line each, naming the package to install.
std::vector<std::string> missing_headers_warnings(const InstallState& s);

// Secure Boot in one line: "off", "not an EFI system", "on; kecho is signed
// by ...", or "on; kecho is NOT signed: " + the MOK steps (the module's name
// for kecho).
std::string secure_boot_summary(const InstallState& s);

// Why health must fail for the running kernel: the module is not loaded,
// there is none for this kernel and no headers to build it. nullopt otherwise.
std::optional<std::string> running_kernel_problem(const InstallState& s, bool loaded);

} // namespace kecho::ctl
