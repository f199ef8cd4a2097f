// install_state on fake trees: kernels with and without headers or a kecho
// module, where DKMS puts it, Secure Boot from efivars, a loaded kecho that
// is not the installed build; and keechoctl status/health showing them.
#include "cli.h"
#include "errors.h"
#include "install_state.h"
#include "kmod_loader.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace kecho::ctl;
using kecho::ctl::test::TempDir;

namespace {

// Module facts by path, as modinfo would read them.
struct FakeModinfo {
    std::map<std::string, ModuleFacts> facts;
    ModuleFacts operator()(const std::string& path) const {
        const auto it = facts.find(path);
        if (it == facts.end())
            throw SystemError("modinfo " + path + ": unreadable");
        return it->second;
    }
};

void kernel(const TempDir& dir, const std::string& release, bool headers) {
    dir.write("lib/modules/" + release + "/modules.dep", "");
    dir.write("lib/modules/" + release + "/kernel/net/ipv4/tcp_diag.ko", "");
    if (headers)
        dir.write("lib/modules/" + release + "/build/Makefile", "");
}

void secure_boot(const TempDir& dir, unsigned char value) {
    const std::string bytes{'\x06', '\0', '\0', '\0', static_cast<char>(value)};
    dir.write("sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-e98c0eaf8a14", bytes);
}

// 6.1.0-57-amd64 with headers and a DKMS-built kecho; returns its path.
std::string kernel_with_kecho(const TempDir& dir) {
    kernel(dir, "6.1.0-57-amd64", true);
    dir.write("lib/modules/6.1.0-57-amd64/updates/dkms/kecho.ko", "");
    return dir.path() + "/lib/modules/6.1.0-57-amd64/updates/dkms/kecho.ko";
}

} // namespace

TEST_CASE("install state: kernels, headers and where kecho is found", "[install]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    kernel(dir, "6.1.0-57-amd64", true);
    kernel(dir, "6.1.0-58-amd64", false); // new kernel, no headers
    kernel(dir, "6.1.0-56-amd64", false); // old kernel, module built when it had them
    dir.write("lib/modules/6.1.0-55-amd64/updates/dkms/kecho.ko", ""); // leftovers, no kernel
    const std::string built = dir.path() + "/lib/modules/6.1.0-57-amd64/updates/dkms/kecho.ko.xz";
    dir.write("lib/modules/6.1.0-57-amd64/updates/dkms/kecho.ko.xz", "");
    dir.write("lib/modules/6.1.0-57-amd64/extra/kecho.ko", ""); // updates/ wins
    dir.write("lib/modules/6.1.0-56-amd64/extra/kecho.ko", "");
    FakeModinfo modinfo;
    modinfo.facts[built] = {"ABC123", "DKMS module signing key"};

    const InstallState s = inspect_install(paths, "kecho", "6.1.0-57-amd64", std::cref(modinfo));
    REQUIRE(s.kernels.size() == 3);
    CHECK(s.kernels[0].release == "6.1.0-56-amd64");
    CHECK(s.kernels[1].release == "6.1.0-57-amd64");
    CHECK(s.kernels[2].release == "6.1.0-58-amd64");
    const KernelEntry* run = running_kernel(s);
    REQUIRE(run != nullptr);
    CHECK(run->release == "6.1.0-57-amd64");
    CHECK(run->headers);
    CHECK(run->module_path == built);
    REQUIRE(run->module);
    CHECK(run->module->srcversion == "ABC123");
    CHECK(s.kernels[0].module_path == dir.path() + "/lib/modules/6.1.0-56-amd64/extra/kecho.ko");
    CHECK_FALSE(s.kernels[0].module); // unreadable: no facts, still listed
    CHECK(s.kernels[2].module_path.empty());

    // Only the kernel with neither a module nor headers is a problem.
    const auto warnings = missing_headers_warnings(s);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0] == "kernel 6.1.0-58-amd64 has no headers, so DKMS cannot build kecho for "
                         "it: after booting it kecho will be missing; install "
                         "linux-headers-6.1.0-58-amd64, then `dkms autoinstall -k "
                         "6.1.0-58-amd64`");
    CHECK_FALSE(running_kernel_problem(s, false));
}

TEST_CASE("install state: the running kernel without module or headers fails health", "[install]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    kernel(dir, "6.1.0-58-amd64", false);
    const InstallState s = inspect_install(paths, "kecho", "6.1.0-58-amd64", FakeModinfo{});
    const auto why = running_kernel_problem(s, false);
    REQUIRE(why);
    CHECK(*why == "no kecho module for the running kernel 6.1.0-58-amd64 and no headers to "
                  "build one: install linux-headers-6.1.0-58-amd64, then `dkms autoinstall`");
    CHECK_FALSE(running_kernel_problem(s, true)); // loaded anyway: not this problem
    CHECK_THAT(missing_headers_warnings(s).at(0),
               Catch::StartsWith("kernel 6.1.0-58-amd64 (running)"));

    // The running kernel's directory need not even exist.
    const InstallState none = inspect_install(paths, "kecho", "7.0.0-1-amd64", FakeModinfo{});
    CHECK(running_kernel(none) != nullptr);
    CHECK(running_kernel_problem(none, false));
}

TEST_CASE("install state: a loaded kecho that is not the installed build", "[install]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    const std::string ko = kernel_with_kecho(dir);
    FakeModinfo modinfo;
    modinfo.facts[ko] = {"NEW0000000000000000000", ""};

    CHECK_FALSE(stale_module_warning(inspect_install(paths, "kecho", "6.1.0-57-amd64", modinfo)));
    test::fake_kecho_loaded(dir, {{"port", "1"}});
    dir.write("sys/module/kecho/srcversion", "NEW0000000000000000000\n");
    CHECK_FALSE(stale_module_warning(inspect_install(paths, "kecho", "6.1.0-57-amd64", modinfo)));
    dir.write("sys/module/kecho/srcversion", "OLD1111111111111111111\n");
    const auto w = stale_module_warning(inspect_install(paths, "kecho", "6.1.0-57-amd64", modinfo));
    REQUIRE(w);
    CHECK(*w == "the loaded kecho (srcversion OLD1111111111111111111) is not the installed build " +
                    ko +
                    " (srcversion NEW0000000000000000000): reboot or `keechoctl reload` to "
                    "run the new code");
}

TEST_CASE("install state: Secure Boot and the module's signature", "[install]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    const std::string ko = kernel_with_kecho(dir);
    FakeModinfo modinfo;
    modinfo.facts[ko] = {"S", ""};
    const auto summary = [&] {
        return secure_boot_summary(inspect_install(paths, "kecho", "6.1.0-57-amd64", modinfo));
    };
    CHECK(summary() == "not an EFI system (no Secure Boot)");
    std::filesystem::create_directories(dir.path() + "/sys/firmware/efi/efivars");
    CHECK(summary() == "off"); // EFI without the variable
    secure_boot(dir, 0);
    CHECK(summary() == "off");
    secure_boot(dir, 1);
    CHECK_THAT(summary(), Catch::StartsWith("on; kecho is NOT signed and will not load: enroll "
                                            "the DKMS signing key with `mokutil --import"));
    modinfo.facts[ko].signer = "DKMS module signing key";
    CHECK(summary() == "on; kecho is signed by \"DKMS module signing key\"");
}

TEST_CASE("status and health show kernels, Secure Boot and the warnings", "[install][cli]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    // The running kernel (uname -r) has a module here; another has neither.
    const std::string running = kernel_release();
    kernel(dir, running, true);
    dir.write("lib/modules/" + running + "/updates/dkms/kecho.ko", "not an ELF file");
    kernel(dir, "0.0.1-test", false);
    std::ostringstream out;
    std::ostringstream err;
    Context ctx{paths, out, err};
    const auto cli = [&ctx](std::vector<std::string> args) { return run_cli(args, ctx); };

    CHECK(cli({"status"}) == kExitOk);
    CHECK_THAT(out.str(), Catch::Contains("\nkernels: 0.0.1-test: NO HEADERS, no kecho module\n"));
    CHECK_THAT(out.str(),
               Catch::Contains("         " + running + " (running): headers, kecho " +
                               paths.modules_root + "/" + running + "/updates/dkms/kecho.ko\n"));
    CHECK_THAT(out.str(), Catch::Contains("\nsecure boot: not an EFI system (no Secure Boot)\n"));
    CHECK_THAT(out.str(), Catch::Contains("\nWARNING: kernel 0.0.1-test has no headers"));
    out.str("");
    CHECK(cli({"status", "--json"}) == kExitOk);
    const auto j = nlohmann::json::parse(out.str());
    CHECK(j["kernels"].size() == 2);
    CHECK(j["kernels"][0]["headers"] == false);
    CHECK(j["kernels"][0]["kecho"].is_null());
    CHECK(j["warnings"].size() == 1);

    // Health: not loaded, but a module exists for this kernel: the plain reason.
    out.str("");
    err.str("");
    CHECK(cli({"health"}) == kExitSystem);
    CHECK(err.str() == "kecho module is not loaded\n");
    // Without it and without headers, health says what to install.
    std::filesystem::remove_all(paths.modules_root + "/" + running);
    err.str("");
    CHECK(cli({"health"}) == kExitSystem);
    CHECK(err.str() == "kecho module is not loaded: no kecho module for the running kernel " +
                           running + " and no headers to build one: install linux-headers-" +
                           running + ", then `dkms autoinstall`\n");
}
