#include "install_state.h"

#include "file_io.h"
#include "kmod_loader.h"
#include "load_errors.h"
#include "module_info.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <system_error>

namespace kecho::ctl {

namespace fs = std::filesystem;

namespace {

// The EFI global variable GUID, under which SecureBoot lives.
constexpr const char* kSecureBootVar = "SecureBoot-8be4df61-93ca-11d2-aa0d-e98c0eaf8a14";

bool is_kecho_file(const fs::path& p) {
    const std::string name = p.filename().string();
    return name == "kecho.ko" || name.starts_with("kecho.ko.");
}

// The first kecho module under `dir`, in path order; "" if none.
std::string find_kecho(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return "";
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec) && is_kecho_file(it->path()))
            found.push_back(it->path().string());
    std::sort(found.begin(), found.end());
    return found.empty() ? "" : found.front();
}

// Where DKMS puts it, then where out-of-tree builds go, then anywhere
// (depmod ranks updates/ over the rest the same way).
std::string kecho_module_for(const fs::path& release_dir) {
    for (const char* sub : {"updates/dkms", "updates", "extra"})
        if (auto p = find_kecho(release_dir / sub); !p.empty())
            return p;
    return find_kecho(release_dir);
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

InstallState inspect_install(const Paths& paths, const std::string& running_release,
                             const std::function<ModuleFacts(const std::string&)>& reader) {
    InstallState s;
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
        k.kecho_path = kecho_module_for(dir);
        if (!k.kecho_path.empty()) {
            try {
                k.kecho = reader(k.kecho_path);
            } catch (const std::exception&) {
                // Unreadable: listed without facts.
            }
        }
        s.kernels.push_back(std::move(k));
    }
    s.secure_boot = read_secure_boot(paths);
    s.loaded_srcversion = read_first_line(paths.module_dir(kKecho) + "/srcversion");
    return s;
}

InstallState inspect_install(const Paths& paths) {
    return inspect_install(paths, kernel_release(), facts_from_file);
}

const KernelEntry* running_kernel(const InstallState& s) {
    const auto it = std::find_if(s.kernels.begin(), s.kernels.end(),
                                 [](const KernelEntry& k) { return k.running; });
    return it == s.kernels.end() ? nullptr : &*it;
}

std::optional<std::string> stale_module_warning(const InstallState& s) {
    const KernelEntry* k = running_kernel(s);
    if (k == nullptr || !k->kecho || !s.loaded_srcversion || k->kecho->srcversion.empty() ||
        *s.loaded_srcversion == k->kecho->srcversion)
        return std::nullopt;
    return "the loaded kecho (srcversion " + *s.loaded_srcversion +
           ") is not the installed build " + k->kecho_path + " (srcversion " +
           k->kecho->srcversion + "): reboot or `keechoctl reload` to run the new code";
}

std::vector<std::string> missing_headers_warnings(const InstallState& s) {
    std::vector<std::string> out;
    for (const auto& k : s.kernels) {
        if (k.headers || !k.kecho_path.empty())
            continue;
        out.push_back("kernel " + k.release + (k.running ? " (running)" : "") +
                      " has no headers, so DKMS cannot build kecho for it" +
                      (k.running ? "" : ": after booting it kecho will be missing") +
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
    if (k == nullptr || !k->kecho)
        return "on";
    if (!k->kecho->signer.empty())
        return "on; kecho is signed by \"" + k->kecho->signer + "\"";
    return "on; kecho is NOT signed and will not load: " + mok_hint();
}

std::optional<std::string> running_kernel_problem(const InstallState& s, bool kecho_loaded) {
    const KernelEntry* k = running_kernel(s);
    if (kecho_loaded || k == nullptr || !k->kecho_path.empty() || k->headers)
        return std::nullopt;
    return no_module_no_headers(kKecho, k->release);
}

} // namespace kecho::ctl
