#include "load_errors.h"

#include "error.h"
#include "server.h"

#include <cerrno>

namespace kecho::ctl {

namespace {

std::string headers_hint(const LoadFailure& f) {
    return "check `dkms status` and that linux-headers-" + f.kernel_release +
           " is installed, then rebuild with `dkms autoinstall`";
}

} // namespace

std::string mok_hint() {
    return "enroll the DKMS signing key with `mokutil --import /var/lib/dkms/mok.pub` and "
           "reboot to confirm it, or sign the module with an enrolled key";
}

bool lockdown_active(const std::string& content) {
    return content.find("[integrity]") != std::string::npos ||
           content.find("[confidentiality]") != std::string::npos;
}

std::string no_module_no_headers(const std::string& module, const std::string& release) {
    return "no " + module + " module for the running kernel " + release +
           " and no headers to build one: install linux-headers-" + release +
           ", then `dkms autoinstall`";
}

std::string explain_load_failure(const LoadFailure& f) {
    const std::string prefix = "cannot load " + f.module + ": ";
    if ((!f.found || f.err == ENOENT) && f.headers.has_value() && !*f.headers)
        return prefix + no_module_no_headers(f.module, f.kernel_release);
    if (!f.found || f.err == ENOENT)
        return prefix + "no module built for the running kernel " + f.kernel_release + "; " +
               headers_hint(f);
    switch (f.err) {
    case ENOEXEC:
        return prefix + "invalid module format (built for another kernel?); " + headers_hint(f);
    case EKEYREJECTED:
    case EKEYREVOKED:
    case EKEYEXPIRED:
    case ENOKEY:
        return prefix + "the kernel rejected the module's signature (Secure Boot); " + mok_hint();
    case EPERM:
        if (f.lockdown)
            return prefix +
                   "the kernel is locked down (Secure Boot) and the module is not signed "
                   "with a trusted key; " +
                   mok_hint();
        return prefix + "operation not permitted (run as root)";
    case EADDRINUSE:
        return prefix + "port " + (f.port ? std::to_string(*f.port) : std::string("(default)")) +
               " is already in use; free it or choose another with `" + keechoctl_for(f.module) +
               " reconfigure --port N`";
    case EEXIST:
        return prefix + "already loaded";
    case ENODEV:
        return prefix + "blacklisted in modprobe.d";
    default:
        return errno_message(f.err, "cannot load " + f.module);
    }
}

std::string explain_unload_failure(const std::string& module, int err) {
    const std::string prefix = "cannot unload " + module + ": ";
    switch (err) {
    case EBUSY:
    case EAGAIN:
        return prefix + "module is in use";
    case EPERM:
        return prefix + "operation not permitted (run as root)";
    default:
        return errno_message(err, "cannot unload " + module);
    }
}

} // namespace kecho::ctl
