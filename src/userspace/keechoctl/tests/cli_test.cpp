// The whole command line: dispatch, help, exit codes, and that bad values
// change nothing on disk.
#include "cli.h"
#include "errors.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

using namespace kecho::ctl;
using kecho::ctl::test::TempDir;

namespace {

using Run = test::CliRun;

Run run(const Paths& paths, std::vector<std::string> args) {
    return test::run_cli_with(paths, std::move(args));
}

} // namespace

TEST_CASE("help lists every command and each command has --help", "[cli]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    const auto top = run(paths, {"--help"});
    CHECK(top.rc == kExitOk);
    for (const auto& cmd : command_table()) {
        CHECK_THAT(top.out, Catch::Contains(std::string(cmd.name)));
        const auto help = run(paths, {std::string(cmd.name), "--help"});
        CHECK(help.rc == kExitOk);
        CHECK_THAT(help.out, Catch::StartsWith("usage: keechoctl " + std::string(cmd.name)));
    }
    CHECK(run(paths, {"help", "drop"}).out.find("--dry-run") != std::string::npos);
}

TEST_CASE("no command and unknown commands are usage errors", "[cli]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    CHECK(run(paths, {}).rc == kExitUsage);
    const auto r = run(paths, {"frobnicate"});
    CHECK(r.rc == kExitUsage);
    CHECK_THAT(r.err, Catch::Contains("unknown command 'frobnicate'"));
    CHECK(run(paths, {"--bogus", "status"}).rc == kExitUsage);
    CHECK(run(paths, {"status", "extra"}).rc == kExitUsage);
    CHECK(run(paths, {"load", "nosuchmodule"}).rc == kExitUsage);
}

TEST_CASE("invalid flag values: one line, exit 1, nothing changed", "[cli]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    const std::string conf = "# admin comment\noptions kecho port=12345\n";
    dir.write("etc/modprobe.d/kecho.conf", conf);
    test::fake_kecho_loaded(dir, {{"port", "12345"}, {"backlog", "128"}, {"bench", "N"}});

    const std::vector<std::vector<std::string>> bad = {
        {"reconfigure", "--port", "0"},
        {"reconfigure", "--port", "65536"},
        {"reconfigure", "--port", "-1"},
        {"reconfigure", "--port", "12a"},
        {"reconfigure", "--port", "99999999999999999999999"},
        {"reconfigure", "--backlog", "0"},
        {"reconfigure", "--bench", "2"},
        {"reconfigure", "--bench", "yes"},
        {"reconfigure", "--port", "80", "--bench", "7"},
        {"reconfigure", "--keepalive", "32768"},
        {"reconfigure", "--user-timeout", "-1"},
        {"reconfigure", "--bind", "localhost"},
        {"reconfigure", "--mode", "room"},
        {"reconfigure", "--chat-queue", "4095"},
        {"reconfigure", "--chat-queue", "1073741825"},
        {"reconfigure", "--chat-echo", "2"},
        {"reconfigure", "--chat-split", "1000001"},
        {"reconfigure", "--mode", "chat", "--chat-echo", "yes"},
        {"reconfigure"},
        {"connections", "--state", "BOGUS"},
        {"connections", "--src", "300.1.1.1"},
        {"connections", "--dst", "::1/129"},
        {"connections", "--dport", "0"},
        {"drop", "--state", "nope"},
        {"drop"},
        {"drop", "--state", "LISTEN"},
        {"health", "--timeout", "0"},
        {"daemon", "--interval", "0"},
        {"daemon", "--interval", "x"},
    };
    for (const auto& args : bad) {
        INFO(args.front() << " " << (args.size() > 2 ? args[2] : ""));
        const auto r = run(paths, args);
        CHECK(r.rc == kExitUsage);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK(r.out.empty());
        CHECK(dir.read("etc/modprobe.d/kecho.conf") == conf);
        CHECK(dir.read("sys/module/kecho/parameters/port") == "12345\n");
    }
}

TEST_CASE("global --config selects the modprobe.d file", "[cli]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    dir.write("other.conf", "options kecho port=4000\n");
    const auto r =
        run(paths, {"--config", dir.path() + "/other.conf", "reconfigure", "--port", "4001"});
    CHECK(r.rc == kExitOk);
    CHECK(dir.read("other.conf") == "options kecho port=4001\n");
}

TEST_CASE("a malformed modprobe.d file is a system error and is kept", "[cli]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    const std::string conf = "optoins kecho port=1\n";
    dir.write("etc/modprobe.d/kecho.conf", conf);
    const auto r = run(paths, {"reconfigure", "--port", "2000"});
    CHECK(r.rc == kExitSystem);
    CHECK_THAT(r.err, Catch::Contains("unknown directive 'optoins'"));
    CHECK(dir.read("etc/modprobe.d/kecho.conf") == conf);
}

TEST_CASE("health reports a missing module with a non-zero exit", "[cli]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    const auto r = run(paths, {"health"});
    CHECK(r.rc == kExitSystem);
    // An empty fake /lib/modules: no module and no headers for this kernel
    // either (install_state_test.cpp checks that part of the line).
    CHECK_THAT(r.err, Catch::StartsWith("kecho module is not loaded: no kecho module for the "
                                        "running kernel "));
    const auto j = run(paths, {"health", "--json"});
    CHECK_THAT(j.out, Catch::Contains("\"healthy\":false"));
}

TEST_CASE("options: a row per parameter, live from the sysfs mode, unknown ones listed", "[cli]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    test::fake_kecho_loaded(
        dir,
        {{"port", "2000"}, {"bench", "0", false}, {"user_timeout", "120"}, {"future_knob", "x"}});
    const auto r = run(paths, {"options", "--json"});
    REQUIRE(r.rc == kExitOk);
    const auto j = nlohmann::json::parse(r.out);
    const auto& options = j["options"];
    const auto find = [&options](const std::string& name) {
        const auto it = std::find_if(options.begin(), options.end(),
                                     [&name](const auto& o) { return o["name"] == name; });
        REQUIRE(it != options.end());
        return *it;
    };
    CHECK(find("port")["live"] == true);
    CHECK(find("port")["value"] == "2000");
    CHECK(find("port")["default"] == "12345");
    CHECK(find("bench")["live"] == false);
    CHECK(find("user_timeout")["flag"] == "--user-timeout");
    CHECK(find("future_knob")["flag"].is_null());
}
