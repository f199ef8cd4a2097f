// SIGHUP / startup: bring a loaded kecho in line with modprobe.d, through a
// fake KechoControl.
#include "apply.h"
#include "errors.h"
#include "fake_kecho.h"
#include "test_util.h"

#include <catch2/catch.hpp>

using namespace kecho::ctl;
using kecho::ctl::test::FakeKecho;
using kecho::ctl::test::TempDir;

namespace {

using Calls = std::vector<std::string>;

void fake_kecho(const TempDir& dir) {
    test::fake_kecho_loaded(dir, {{"port", "12345"},
                                  {"backlog", "128"},
                                  {"bench", "N", false},
                                  {"keepalive", "60"},
                                  {"user_timeout", "120"}});
}

} // namespace

TEST_CASE("live parameters are written, reload-only ones reload", "[apply]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    fake_kecho(dir);
    FakeKecho kecho(dir);
    dir.write("etc/modprobe.d/kecho.conf", "options kecho port=3000\n");
    auto out = apply_modprobe_conf(paths, kecho_server(), kecho);
    CHECK(kecho.calls == Calls{"set port=3000"});
    CHECK(out.changes == std::vector<std::string>{"port 12345 -> 3000 (live)"});

    dir.write("etc/modprobe.d/kecho.conf", "options kecho port=3000 bench=1\n");
    out = apply_modprobe_conf(paths, kecho_server(), kecho);
    CHECK(kecho.calls == Calls{"set port=3000", "reload"});
    CHECK(out.changes == std::vector<std::string>{"bench 0 -> 1 (reload)"});
    CHECK(out.reloaded);
}

TEST_CASE("keepalive and user_timeout in modprobe.d are applied on SIGHUP", "[apply]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    fake_kecho(dir);
    FakeKecho kecho(dir);
    dir.write("etc/modprobe.d/kecho.conf", "options kecho keepalive=7 user_timeout=30\n");
    const auto out = apply_modprobe_conf(paths, kecho_server(), kecho);
    CHECK(kecho.calls == Calls{"set keepalive=7", "set user_timeout=30"});
    CHECK(out.changes ==
          std::vector<std::string>{"keepalive 60 -> 7 (live)", "user_timeout 120 -> 30 (live)"});
}

TEST_CASE("a parameter keechoctl has no row for is applied when the file names it", "[apply]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    test::fake_kecho_loaded(dir, {{"port", "12345"}, {"newthing", "1"}, {"frozen", "a", false}});
    FakeKecho kecho(dir);
    dir.write("etc/modprobe.d/kecho.conf", "options kecho newthing=2 frozen=b\n");
    const auto out = apply_modprobe_conf(paths, kecho_server(), kecho);
    CHECK(kecho.calls == Calls{"set newthing=2", "reload"});
}

TEST_CASE("nothing to do when the file matches", "[apply]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    fake_kecho(dir);
    FakeKecho kecho(dir);
    CHECK(apply_modprobe_conf(paths, kecho_server(), kecho).changes.empty());
    CHECK(kecho.calls.empty());
}

TEST_CASE("a live write failing mid-plan on SIGHUP undoes the earlier ones, no reload", "[apply]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    fake_kecho(dir);
    FakeKecho kecho(dir);
    dir.write("etc/modprobe.d/kecho.conf",
              "options kecho port=3000 backlog=64 keepalive=5 bench=1\n");
    kecho.fail_call = 3; // keepalive, after port and backlog
    CHECK_THROWS_WITH(apply_modprobe_conf(paths, kecho_server(), kecho),
                      Catch::Contains("Address already in use"));
    CHECK(kecho.calls == Calls{"set port=3000", "set backlog=64", "set keepalive=5",
                               "set backlog=128", "set port=12345"});
    CHECK(dir.read("sys/module/kecho/parameters/port") == "12345\n");
    CHECK(dir.read("sys/module/kecho/parameters/backlog") == "128\n");
}

TEST_CASE("a failed reload on SIGHUP undoes the live writes", "[apply]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    fake_kecho(dir);
    FakeKecho kecho(dir);
    dir.write("etc/modprobe.d/kecho.conf", "options kecho port=3000 bench=1\n");
    kecho.fail_call = 2;
    CHECK_THROWS_AS(apply_modprobe_conf(paths, kecho_server(), kecho), std::system_error);
    // The file is the admin's: nothing to restore, so no second reload.
    CHECK(kecho.calls == Calls{"set port=3000", "reload", "set port=12345"});
}

TEST_CASE("a malformed file changes nothing", "[apply]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    test::fake_kecho_loaded(dir, {{"port", "12345"}});
    FakeKecho kecho(dir);
    dir.write("etc/modprobe.d/kecho.conf", "options kecho port=1 \\");
    CHECK_THROWS_AS(apply_modprobe_conf(paths, kecho_server(), kecho), SystemError);
    CHECK(kecho.calls.empty());
}
