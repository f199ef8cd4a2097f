#include "install_state.h"

#include "file_io.h"
#include "kmod_loader.h"
#include "load_errors.h"
#include "module_info.h"
#include "server.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <system_error>

namespace kecho::ctl {

namespace fs = std::filesystem;

namespace {

// The EFI global variable GUID, under which SecureBoot lives.
constexpr const char* kSecureBootVar = "SecureBoot-8be4df61-93ca-11d2-aa0d-e98c0eaf8a14";

// MODULE.ko, compressed or not.
bool is_module_file(const fs::path& p, const std::string& module) {
    const std::string name = p.filename().string();
    return name == module + ".ko" || name.starts_with(module + ".ko.");
}

// The first file of `module` under `dir`, in path order; "" if none.
std::string find_module(const fs::path& dir, const std::string& module) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return "";
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec) && is_module_file(it->path(), module))
            found.push_back(it->path().string());
    std::sort(found.begin(), found.end());
    return found.empty() ? "" : found.front();
}

// Where DKMS puts it, then where out-of-tree builds go, then anywhere
// (depmod ranks updates/ over the rest the same way).
std::string module_for(const fs::path& release_dir, const std::string& module) {
    for (const char* sub : {"updates/dkms", "updates", "extra"})
        if (auto p = find_module(release_dir / sub, module); !p.empty())
            return p;
    return find_module(release_dir, module);
}

bool is_installed_kernel(const fs::path& dir) {
    std::error_code ec;
    return fs::exists(dir / "modules.dep", ec) || fs::is_directory(dir / "kernel", ec);
}

std::optional<bool> read_secure_boot(const Paths& paths) {
    std::error_code ec;
    if (!fs::is_directory(paths.sys_root + "/firmware/efi", ec))
        return std::nullopt;
    const auto bytes = read_file(paths.sys_root + "/firmware/efi/efivars/" + kSecureBootVar);
    // 4 bytes of attributes, then the value.
    return bytes && bytes->size() >= 5 && (*bytes)[4] == 1;
}

ModuleFacts facts_from_file(const std::string& path) {
    const ModuleInfo info = module_info_from_file(path);
    return {info.srcversion, info.signer};
}

} // namespace

bool kernel_has_headers(const Paths& paths, const std::string& release) {
    std::error_code ec;
    return fs::is_directory(fs::path(paths.modules_root) / release / "build", ec);
}

InstallState inspect_install(const Paths& paths, const std::string& module,
                             const std::string& running_release,
                             const std::function<ModuleFacts(const std::string&)>& reader) {
    InstallState s;
    s.module = module;
    s.running_release = running_release;
    std::vector<std::string> releases{running_release};
    std::error_code ec;
    for (auto it = fs::directory_iterator(paths.modules_root, ec);
         !ec && it != fs::directory_iterator(); it.increment(ec))
        if (it->path().filename() != running_release && is_installed_kernel(it->path()))
            releases.push_back(it->path().filename().string());
    std::sort(releases.begin(), releases.end());
    for (const auto& r : releases) {
        const fs::path dir = fs::path(paths.modules_root) / r;
        KernelEntry k;
        k.release = r;
        k.running = r == running_release;
        k.headers = kernel_has_headers(paths, r);
        k.module_path = module_for(dir, module);
        if (!k.module_path.empty()) {
            try {
                k.module = reader(k.module_path);
            } catch (const std::exception&) {
                // Unreadable: listed without facts.
            }
        }
        s.kernels.push_back(std::move(k));
    }
    s.secure_boot = read_secure_boot(paths);
    s.loaded_srcversion = read_first_line(paths.module_dir(module) + "/srcversion");
    return s;
}

InstallState inspect_install(const Paths& paths, const std::string& module) {
    return inspect_install(paths, module, kernel_release(), facts_from_file);
}

const KernelEntry* running_kernel(const InstallState& s) {
    const auto it = std::find_if(s.kernels.begin(), s.kernels.end(),
                                 [](const KernelEntry& k) { return k.running; });
    return it == s.kernels.end() ? nullptr : &*it;
}

std::optional<std::string> stale_module_warning(const InstallState& s) {
    const KernelEntry* k = running_kernel(s);
    if (k == nullptr || !k->module || !s.loaded_srcversion || k->module->srcversion.empty() ||
        *s.loaded_srcversion == k->module->srcversion)
        return std::nullopt;
    return "the loaded " + s.module + " (srcversion " + *s.loaded_srcversion +
           ") is not the installed build " + k->module_path + " (srcversion " +
           k->module->srcversion + "): reboot or `" + keechoctl_for(s.module) +
           " reload` to run the new code";
}

std::vector<std::string> missing_headers_warnings(const InstallState& s) {
    std::vector<std::string> out;
    for (const auto& k : s.kernels) {
        if (k.headers || !k.module_path.empty())
            continue;
        out.push_back("kernel " + k.release + (k.running ? " (running)" : "") +
                      " has no headers, so DKMS cannot build " + s.module + " for it" +
                      (k.running ? "" : ": after booting it " + s.module + " will be missing") +
                      "; install linux-headers-" + k.release + ", then `dkms autoinstall -k " +
                      k.release + "`");
    }
    return out;
}

std::string secure_boot_summary(const InstallState& s) {
    if (!s.secure_boot)
        return "not an EFI system (no Secure Boot)";
    if (!*s.secure_boot)
        return "off";
    const KernelEntry* k = running_kernel(s);
    if (k == nullptr || !k->module)
        return "on";
    if (!k->module->signer.empty())
        return "on; " + s.module + " is signed by \"" + k->module->signer + "\"";
    return "on; " + s.module + " is NOT signed and will not load: " + mok_hint();
}

std::optional<std::string> running_kernel_problem(const InstallState& s, bool loaded) {
    const KernelEntry* k = running_kernel(s);
    if (loaded || k == nullptr || !k->module_path.empty() || k->headers)
        return std::nullopt;
    return no_module_no_headers(s.module, k->release);
}

} // namespace kecho::ctl
