// SIGHUP / startup: bring a loaded kecho in line with modprobe.d.
#include "config_apply.h"
#include "errors.h"
#include "test_util.h"

#include <catch2/catch.hpp>

using namespace kecho::ctl;
using kecho::ctl::test::TempDir;

TEST_CASE("live parameters are written, reload-only ones reload", "[apply]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    test::fake_kecho_loaded(dir, {{"port", "12345"}, {"backlog", "128"}, {"bench", "N"}});
    dir.write("etc/modprobe.d/kecho.conf", "options kecho port=3000\n");
    int reloads = 0;
    auto out = apply_modprobe_conf(paths, [&] { ++reloads; });
    CHECK(reloads == 0);
    CHECK(out.changes == std::vector<std::string>{"port 12345 -> 3000 (live)"});
    CHECK(dir.read("sys/module/kecho/parameters/port") == "3000");

    dir.write("etc/modprobe.d/kecho.conf", "options kecho port=3000 bench=1\n");
    out = apply_modprobe_conf(paths, [&] { ++reloads; });
    CHECK(reloads == 1);
    CHECK(out.reloaded);
}

TEST_CASE("nothing to do when the file matches", "[apply]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    test::fake_kecho_loaded(dir, {{"port", "12345"}, {"bench", "N"}});
    int reloads = 0;
    CHECK(apply_modprobe_conf(paths, [&] { ++reloads; }).changes.empty());
    CHECK(reloads == 0);
}

TEST_CASE("a malformed file changes nothing", "[apply]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    test::fake_kecho_loaded(dir, {{"port", "12345"}});
    dir.write("etc/modprobe.d/kecho.conf", "options kecho port=1 \\");
    CHECK_THROWS_AS(apply_modprobe_conf(paths, [] {}), SystemError);
    CHECK(dir.read("sys/module/kecho/parameters/port") == "12345\n");
}
