#include "load_errors.h"

#include <catch2/catch.hpp>
#include <cerrno>

using namespace kecho::ctl;

namespace {

LoadFailure failure(int err) {
    LoadFailure f;
    f.module = "kecho";
    f.kernel_release = "6.1.0-99-amd64";
    f.err = err;
    return f;
}

} // namespace

TEST_CASE("no module for this kernel points to dkms and the headers", "[load]") {
    auto f = failure(0);
    f.found = false;
    const auto msg = explain_load_failure(f);
    CHECK_THAT(msg, Catch::Contains("dkms status"));
    CHECK_THAT(msg, Catch::Contains("linux-headers-6.1.0-99-amd64"));
    CHECK_THAT(explain_load_failure(failure(ENOEXEC)), Catch::Contains("dkms status"));
}

TEST_CASE("no module and no headers for this kernel names the package to install", "[load]") {
    auto f = failure(0);
    f.found = false;
    f.headers = false;
    CHECK(explain_load_failure(f) ==
          "cannot load kecho: no kecho module for the running kernel 6.1.0-99-amd64 and no "
          "headers to build one: install linux-headers-6.1.0-99-amd64, then `dkms autoinstall`");
    f.headers = true; // the headers are there: the DKMS build is what to look at
    CHECK_THAT(explain_load_failure(f), Catch::Contains("dkms status"));
}

TEST_CASE("Secure Boot rejections point to mokutil", "[load]") {
    CHECK_THAT(explain_load_failure(failure(EKEYREJECTED)),
               Catch::Contains("mokutil --import /var/lib/dkms/mok.pub"));
    auto f = failure(EPERM);
    f.lockdown = true;
    CHECK_THAT(explain_load_failure(f), Catch::Contains("mokutil --import /var/lib/dkms/mok.pub"));
    f.lockdown = false;
    CHECK_THAT(explain_load_failure(f), Catch::Contains("run as root"));
}

TEST_CASE("port in use names the port and the fix", "[load]") {
    auto f = failure(EADDRINUSE);
    f.port = 8080;
    const auto msg = explain_load_failure(f);
    CHECK_THAT(msg, Catch::Contains("port 8080 is already in use"));
    CHECK_THAT(msg, Catch::Contains("keechoctl reconfigure --port"));
}

TEST_CASE("lockdown file parsing", "[load]") {
    CHECK(lockdown_active("none [integrity] confidentiality"));
    CHECK(lockdown_active("none integrity [confidentiality]"));
    CHECK_FALSE(lockdown_active("[none] integrity confidentiality"));
}

TEST_CASE("unload errors", "[load]") {
    CHECK(explain_unload_failure("kecho", EBUSY) == "cannot unload kecho: module is in use");
}
