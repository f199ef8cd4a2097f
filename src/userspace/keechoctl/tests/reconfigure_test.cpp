// reconfigure against a fake /sys and modprobe.d in a temporary directory,
// with a fake KechoControl for the writes and reloads.
#include "cli_args.h"
#include "errors.h"
#include "fake_kecho.h"
#include "reconfigure.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <sstream>

using namespace kecho::ctl;
using kecho::ctl::test::FakeKecho;
using kecho::ctl::test::TempDir;

namespace {

ParamMap changes(const std::vector<std::string>& args) {
    return parse_reconfigure_args(
        kecho_server(),
        kecho::parse_args(args, reconfigure_options(kecho_server()), "reconfigure"));
}

struct Result {
    std::string out, err;
};

Result run_reconfigure(const Paths& paths, const ParamMap& c, FakeKecho& kecho) {
    std::ostringstream out;
    std::ostringstream err;
    reconfigure(paths, kecho_server(), c, kecho, out, err);
    return {out.str(), err.str()};
}

// kecho as it loads with no options: bench and bind are read-only (0444).
void fake_default_kecho(const TempDir& dir) {
    test::fake_kecho_loaded(dir, {{"port", "12345"},
                                  {"backlog", "128"},
                                  {"bench", "N", false},
                                  {"bind", "", false},
                                  {"max_conns", "10000"},
                                  {"keepalive", "60"},
                                  {"user_timeout", "120"}});
}

using Calls = std::vector<std::string>;

} // namespace

TEST_CASE("flag values are validated and normalized", "[reconfigure]") {
    CHECK(changes({"--port", "2000", "--bench", "1"}) ==
          ParamMap{{"port", "2000"}, {"bench", "1"}});
    CHECK(changes({"--max-conns", "0"}) == ParamMap{{"max_conns", "0"}});
    CHECK(changes({"--keepalive", "5", "--user-timeout", "030"}) ==
          ParamMap{{"keepalive", "5"}, {"user_timeout", "30"}});
    CHECK(changes({"--bind", "::1"}) == ParamMap{{"bind", "::1"}});
    CHECK(changes({"--bind", "all"}) == ParamMap{{"bind", ""}});
    CHECK_THROWS_AS(changes({}), UsageError);
    CHECK_THROWS_AS(changes({"--port", "0"}), UsageError);
    CHECK_THROWS_AS(changes({"--bench", "true"}), UsageError);
    CHECK_THROWS_AS(changes({"--keepalive", "32768"}), UsageError);
    CHECK_THROWS_AS(changes({"--user-timeout", "2147484"}), UsageError);
    CHECK_THROWS_AS(changes({"--bind", "[::1]"}), UsageError);
    CHECK_THROWS_WITH(changes({"--port", "0"}), "--port: '0' is not in 1-65535");
}

TEST_CASE("port change on a loaded module: live, file updated, comments kept, no reload",
          "[reconfigure]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    dir.write("etc/modprobe.d/kecho.conf",
              "# mine\noptions kecho port=12345 backlog=128\nblacklist x\n");
    fake_default_kecho(dir);
    FakeKecho kecho(dir);
    const auto r = run_reconfigure(paths, changes({"--port", "2000"}), kecho);
    CHECK(kecho.calls == Calls{"set port=2000"});
    CHECK(dir.read("etc/modprobe.d/kecho.conf") ==
          "# mine\noptions kecho port=2000 backlog=128\nblacklist x\n");
    CHECK_THAT(r.out, Catch::Contains("port 12345 -> 2000 (applied live)"));
    CHECK(r.err.empty());
}

TEST_CASE("keepalive and user_timeout apply live", "[reconfigure]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    fake_default_kecho(dir);
    FakeKecho kecho(dir);
    const auto r =
        run_reconfigure(paths, changes({"--keepalive", "5", "--user-timeout", "30"}), kecho);
    CHECK(kecho.calls == Calls{"set keepalive=5", "set user_timeout=30"});
    CHECK_THAT(dir.read("etc/modprobe.d/kecho.conf"),
               Catch::EndsWith("options kecho keepalive=5 user_timeout=30\n"));
    CHECK_THAT(r.out, Catch::Contains("user_timeout 120 -> 30 (applied live)"));
}

TEST_CASE("a read-only parameter reloads with a warning", "[reconfigure]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    fake_default_kecho(dir);
    FakeKecho kecho(dir);
    const auto r = run_reconfigure(paths, changes({"--bench", "1"}), kecho);
    CHECK(kecho.calls == Calls{"reload"});
    CHECK_THAT(r.err, Catch::Contains("bench 0 -> 1 needs a reload"));
    CHECK_THAT(dir.read("etc/modprobe.d/kecho.conf"), Catch::EndsWith("options kecho bench=1\n"));
    CHECK_THAT(dir.read("etc/modprobe.d/kecho.conf"), Catch::StartsWith("# kecho module options"));
}

TEST_CASE("liveness comes from the module's sysfs mode, not from keechoctl", "[reconfigure]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    // A kecho whose port is read-only: changing it must reload.
    test::fake_kecho_loaded(dir, {{"port", "12345", false}});
    FakeKecho kecho(dir);
    run_reconfigure(paths, changes({"--port", "2000"}), kecho);
    CHECK(kecho.calls == Calls{"reload"});
}

TEST_CASE("module not loaded: only the file changes", "[reconfigure]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    FakeKecho kecho(dir);
    const auto r = run_reconfigure(paths, changes({"--port", "7", "--bench", "1"}), kecho);
    CHECK(kecho.calls.empty());
    CHECK_THAT(r.out, Catch::Contains("not loaded"));
    CHECK_THAT(dir.read("etc/modprobe.d/kecho.conf"), Catch::Contains("bench=1 port=7"));
}

TEST_CASE("a live write failing mid-plan undoes the earlier ones and leaves the file alone",
          "[reconfigure][apply]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    const std::string conf = "options kecho port=12345\n";
    dir.write("etc/modprobe.d/kecho.conf", conf);
    fake_default_kecho(dir);
    FakeKecho kecho(dir);
    kecho.fail_call = 2; // backlog, after port was written
    CHECK_THROWS_WITH(
        run_reconfigure(paths, changes({"--port", "2000", "--backlog", "64", "--keepalive", "9"}),
                        kecho),
        Catch::Contains("Address already in use"));
    CHECK(kecho.calls == Calls{"set port=2000", "set backlog=64", "set port=12345"});
    CHECK(dir.read("sys/module/kecho/parameters/port") == "12345\n");
    CHECK(dir.read("etc/modprobe.d/kecho.conf") == conf);
}

TEST_CASE("a failed reload restores the file and the live values, and reloads the old options",
          "[reconfigure][apply]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    const std::string conf = "# mine\noptions kecho port=12345\n";
    dir.write("etc/modprobe.d/kecho.conf", conf);
    fake_default_kecho(dir);
    FakeKecho kecho(dir);
    kecho.fail_call = 2; // the reload, after port was written live
    CHECK_THROWS_AS(run_reconfigure(paths, changes({"--port", "2000", "--bench", "1"}), kecho),
                    std::system_error);
    CHECK(kecho.calls == Calls{"set port=2000", "reload", "set port=12345", "reload"});
    CHECK(dir.read("etc/modprobe.d/kecho.conf") == conf);
}

TEST_CASE("a failed reload removes a file reconfigure created", "[reconfigure][apply]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    fake_default_kecho(dir);
    FakeKecho kecho(dir);
    kecho.fail_call = 1;
    CHECK_THROWS_AS(run_reconfigure(paths, changes({"--bench", "1"}), kecho), std::system_error);
    CHECK(dir.list("etc/modprobe.d").empty());
}

TEST_CASE("a malformed file is refused before anything is applied", "[reconfigure]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    const std::string conf = "options kecho port=banana\n";
    dir.write("etc/modprobe.d/kecho.conf", conf);
    test::fake_kecho_loaded(dir, {{"port", "12345"}});
    FakeKecho kecho(dir);
    CHECK_THROWS_WITH(run_reconfigure(paths, changes({"--port", "2000"}), kecho),
                      Catch::Contains("not rewriting it"));
    CHECK(kecho.calls.empty());
    CHECK(dir.read("etc/modprobe.d/kecho.conf") == conf);
}

TEST_CASE("reconfigure: --mode chat, --chat-queue and --chat-echo apply live, land in modprobe.d",
          "[reconfigure][chat]") {
    CHECK(changes({"--mode", "chat", "--chat-queue", "065536", "--chat-echo", "1"}) ==
          ParamMap{{"mode", "chat"}, {"chat_queue", "65536"}, {"chat_echo", "1"}});
    CHECK_THROWS_WITH(changes({"--chat-queue", "4095"}),
                      "--chat-queue: '4095' is not in 4096-1073741824");
    CHECK_THROWS_WITH(changes({"--chat-echo", "Y"}), "--chat-echo: 'Y' is not a number");
    CHECK_THROWS_WITH(changes({"--mode", "room"}),
                      "--mode: 'room' must be stream, message or chat");

    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    dir.write("etc/modprobe.d/kecho.conf", "# mine\noptions kecho port=12345\n");
    test::fake_kecho_loaded(
        dir,
        {{"port", "12345"}, {"mode", "stream"}, {"chat_queue", "1048576"}, {"chat_echo", "0"}});
    FakeKecho kecho(dir);
    const auto r = run_reconfigure(
        paths, changes({"--mode", "chat", "--chat-queue", "65536", "--chat-echo", "1"}), kecho);
    CHECK(kecho.calls == Calls{"set mode=chat", "set chat_queue=65536", "set chat_echo=1"});
    CHECK(dir.read("etc/modprobe.d/kecho.conf") ==
          "# mine\noptions kecho port=12345 chat_echo=1 chat_queue=65536 mode=chat\n");
    CHECK_THAT(r.out, Catch::Contains("mode stream -> chat (applied live)"));
    CHECK_THAT(r.out, Catch::Contains("chat_queue 1048576 -> 65536 (applied live)"));
    CHECK_THAT(r.out, Catch::Contains("chat_echo 0 -> 1 (applied live)"));
    CHECK(r.err.empty());

    // Asking for what kecho has changes nothing.
    kecho.calls.clear();
    run_reconfigure(paths, changes({"--chat-echo", "1"}), kecho);
    CHECK(kecho.calls.empty());

    run_reconfigure(paths, changes({"--mode", "stream", "--chat-echo", "0"}), kecho);
    CHECK(kecho.calls == Calls{"set mode=stream", "set chat_echo=0"});
    CHECK(dir.read("etc/modprobe.d/kecho.conf") ==
          "# mine\noptions kecho port=12345 chat_echo=0 chat_queue=65536 mode=stream\n");
}
