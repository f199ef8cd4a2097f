// reconfigure against a fake /sys and modprobe.d in a temporary directory.
#include "cli_args.h"
#include "errors.h"
#include "reconfigure.h"
#include "test_util.h"

#include <array>
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

using namespace kecho::ctl;
using kecho::ctl::test::TempDir;

namespace {

constexpr std::array<OptionSpec, 4> kSpecs = {{
    {"--port", "N", ""},
    {"--backlog", "N", ""},
    {"--max-conns", "N", ""},
    {"--bench", "0|1", ""},
}};

ParamMap changes(std::vector<std::string> args) {
    return parse_reconfigure_args(parse_args(args, kSpecs, "reconfigure"));
}

struct Result {
    std::string out, err;
    int reloads = 0;
};

Result run_reconfigure(const Paths& paths, const ParamMap& c) {
    Result r;
    std::ostringstream out;
    std::ostringstream err;
    reconfigure(
        paths, c, [&r] { ++r.reloads; }, out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
}

} // namespace

TEST_CASE("flag values are validated and normalized", "[reconfigure]") {
    CHECK(changes({"--port", "2000", "--bench", "1"}) ==
          ParamMap{{"port", "2000"}, {"bench", "1"}});
    CHECK(changes({"--max-conns", "0"}) == ParamMap{{"max_conns", "0"}});
    CHECK_THROWS_AS(changes({}), UsageError);
    CHECK_THROWS_AS(changes({"--port", "0"}), UsageError);
    CHECK_THROWS_AS(changes({"--bench", "true"}), UsageError);
}

TEST_CASE("port change on a loaded module: live, file updated, comments kept, no reload",
          "[reconfigure]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    dir.write("etc/modprobe.d/kecho.conf",
              "# mine\noptions kecho port=12345 backlog=128\nblacklist x\n");
    test::fake_kecho_loaded(dir, {{"port", "12345"}, {"backlog", "128"}, {"bench", "N"}});
    const auto r = run_reconfigure(paths, changes({"--port", "2000"}));
    CHECK(dir.read("sys/module/kecho/parameters/port") == "2000");
    CHECK(dir.read("etc/modprobe.d/kecho.conf") ==
          "# mine\noptions kecho port=2000 backlog=128\nblacklist x\n");
    CHECK(r.reloads == 0);
    CHECK_THAT(r.out, Catch::Contains("port 12345 -> 2000 (applied live)"));
    CHECK(r.err.empty());
}

TEST_CASE("bench change reloads with a warning", "[reconfigure]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    test::fake_kecho_loaded(dir, {{"port", "12345"}, {"backlog", "128"}, {"bench", "N"}});
    const auto r = run_reconfigure(paths, changes({"--bench", "1"}));
    CHECK(r.reloads == 1);
    CHECK_THAT(r.err, Catch::Contains("connections will be dropped"));
    CHECK_THAT(dir.read("etc/modprobe.d/kecho.conf"), Catch::EndsWith("options kecho bench=1\n"));
    CHECK_THAT(dir.read("etc/modprobe.d/kecho.conf"), Catch::StartsWith("# kecho module options"));
}

TEST_CASE("module not loaded: only the file changes", "[reconfigure]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    const auto r = run_reconfigure(paths, changes({"--port", "7", "--bench", "1"}));
    CHECK(r.reloads == 0);
    CHECK_THAT(r.out, Catch::Contains("not loaded"));
    CHECK_THAT(dir.read("etc/modprobe.d/kecho.conf"), Catch::Contains("bench=1 port=7"));
}

TEST_CASE("a failing live write rolls back and leaves the file alone", "[reconfigure]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    const std::string conf = "options kecho port=12345\n";
    dir.write("etc/modprobe.d/kecho.conf", conf);
    test::fake_kecho_loaded(dir, {{"port", "12345"}, {"bench", "N"}});
    // backlog is read-only here, so writing it fails after port was written.
    std::filesystem::create_symlink("/proc/version",
                                    dir.path() + "/sys/module/kecho/parameters/backlog");
    CHECK_THROWS_AS(run_reconfigure(paths, changes({"--port", "2000", "--backlog", "64"})),
                    SystemError);
    CHECK(dir.read("sys/module/kecho/parameters/port") == "12345");
    CHECK(dir.read("etc/modprobe.d/kecho.conf") == conf);
}

TEST_CASE("a malformed file is refused before anything is applied", "[reconfigure]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    const std::string conf = "options kecho port=banana\n";
    dir.write("etc/modprobe.d/kecho.conf", conf);
    test::fake_kecho_loaded(dir, {{"port", "12345"}});
    CHECK_THROWS_WITH(run_reconfigure(paths, changes({"--port", "2000"})),
                      Catch::Contains("not rewriting it"));
    CHECK(dir.read("etc/modprobe.d/kecho.conf") == conf);
    CHECK(dir.read("sys/module/kecho/parameters/port") == "12345\n");
}
