// --module khttpd through the same commands as kecho: the global option,
// khttpd's modprobe.d file, reconfigure's flags (live ones written to sysfs,
// reload-only ones reloading, bad values changing nothing), status,
// options, load's default module, and the commands that stay kecho's.
#include "cli.h"
#include "errors.h"
#include "fake_kecho.h"
#include "module_arg.h"
#include "reconfigure.h"
#include "test_util.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

using namespace kecho::ctl;
using kecho::ctl::test::FakeKecho;
using kecho::ctl::test::TempDir;

namespace {

using Calls = std::vector<std::string>;

using Run = test::CliRun;

Run run(const Paths& paths, std::vector<std::string> args) {
    return test::run_cli_with(paths, std::move(args));
}

ParamMap changes(const std::vector<std::string>& args) {
    return parse_reconfigure_args(
        khttpd_server(),
        kecho::parse_args(args, reconfigure_options(khttpd_server()), "reconfigure"));
}

struct Result {
    std::string out, err;
};

Result run_reconfigure(const Paths& paths, const ParamMap& c, FakeKecho& khttpd) {
    std::ostringstream out;
    std::ostringstream err;
    reconfigure(paths, khttpd_server(), c, khttpd, out, err);
    return {out.str(), err.str()};
}

// khttpd as it loads with no options: port, backlog, bind and root are 0444.
void fake_default_khttpd(const TempDir& dir) {
    test::fake_module_loaded(dir, "khttpd",
                             {{"port", "8080", false},
                              {"backlog", "128", false},
                              {"bind", "", false},
                              {"root", "/srv/khttpd", false},
                              {"listing", "N"},
                              {"max_conns", "10000"},
                              {"keepalive_timeout", "15"},
                              {"header_timeout", "10"}});
}

} // namespace

TEST_CASE("global --module: kecho or khttpd, in either spelling, anything else is a usage error",
          "[cli][khttpd]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir, "khttpd");
    CHECK(run(paths, {"--module", "khttpd", "options"}).rc == kExitOk);
    CHECK(run(paths, {"--module=khttpd", "options"}).rc == kExitOk);
    CHECK(run(paths, {"--module", "kecho", "options"}).rc == kExitOk);
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"--module", "apache", "status"},
          std::vector<std::string>{"--module"}, std::vector<std::string>{"--module=", "status"}}) {
        const auto r = run(paths, args);
        CHECK(r.rc == kExitUsage);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    CHECK_THAT(run(paths, {"--module", "apache", "status"}).err,
               Catch::Contains("--module: unknown server 'apache' (kecho or khttpd)"));
    const auto help = run(paths, {"--module", "khttpd", "--help"});
    CHECK_THAT(help.out, Catch::Contains("Control the khttpd in-kernel HTTP/1.1 static file"));
    CHECK_THAT(help.out, Catch::Contains("(default /etc/modprobe.d/khttpd.conf)"));
}

TEST_CASE("with --module khttpd the default modprobe.d file is khttpd.conf unless one is named",
          "[cli][khttpd]") {
    const TempDir dir;
    Paths paths = test::fake_paths(dir);
    paths.modprobe_conf = kDefaultModprobeConf; // no --config, no KEECHOCTL_MODPROBE_CONF
    auto j = nlohmann::json::parse(run(paths, {"--module", "khttpd", "status", "--json"}).out);
    CHECK(j["modprobe_conf"]["path"] == "/etc/modprobe.d/khttpd.conf");
    CHECK(j["server"] == "khttpd");
    j = nlohmann::json::parse(run(paths, {"status", "--json"}).out);
    CHECK(j["modprobe_conf"]["path"] == "/etc/modprobe.d/kecho.conf");
    // --config wins, in any order.
    j = nlohmann::json::parse(
        run(paths, {"--config", dir.path() + "/x.conf", "--module", "khttpd", "status", "--json"})
            .out);
    CHECK(j["modprobe_conf"]["path"] == dir.path() + "/x.conf");
}

TEST_CASE("with --module khttpd metrics stays kecho's (a usage error) and connections works",
          "[cli][khttpd]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir, "khttpd");
    auto r = run(paths, {"--module", "khttpd", "metrics"});
    CHECK(r.rc == kExitUsage);
    CHECK(r.out.empty());
    CHECK(r.err == "keechoctl: metrics: kecho only for now, not for --module khttpd\n");
    r = run(paths, {"--module", "khttpd", "daemon", "--metrics-file", dir.path() + "/k.prom"});
    CHECK(r.rc == kExitUsage);
    CHECK_THAT(r.err, Catch::Contains("--metrics-file: kecho only for now"));
    // --help still works, and the list marks it.
    CHECK(run(paths, {"--module", "khttpd", "metrics", "--help"}).rc == kExitOk);
    CHECK_THAT(run(paths, {"--module", "khttpd", "--help"}).out,
               Catch::Contains("Prometheus text format (kecho only)"));
    // connections and drop do not depend on the module: they work as they are.
    CHECK(run(paths, {"--module", "khttpd", "connections", "--port", "1"}).rc == kExitOk);
}

TEST_CASE("with --module khttpd load, unload and reload default to khttpd", "[cli][khttpd]") {
    const auto modules = [](const Server& server, std::vector<std::string> args) {
        return modules_from_args(kecho::parse_args(args, {}, "load"), server);
    };
    CHECK(modules(khttpd_server(), {}) == std::vector<std::string>{"khttpd"});
    CHECK(modules(khttpd_server(), {"all"}) ==
          std::vector<std::string>{"khttpd", "drop_tcp_socket"});
    CHECK(modules(khttpd_server(), {"kecho"}) == std::vector<std::string>{"kecho"});
    CHECK(modules(kecho_server(), {}) == std::vector<std::string>{"kecho"});
    CHECK(modules(kecho_server(), {"khttpd"}) == std::vector<std::string>{"khttpd"});
    CHECK_THROWS_AS(modules(khttpd_server(), {"apache"}), UsageError);
    const TempDir dir;
    const Paths paths = test::fake_paths(dir, "khttpd");
    const auto r = run(paths, {"--module", "khttpd", "unload", "bogus"});
    CHECK(r.rc == kExitUsage);
    CHECK_THAT(r.err, Catch::Contains("(kecho or khttpd, drop_tcp_socket or all)"));
}

TEST_CASE("khttpd reconfigure: flags from khttpd's table, validated", "[reconfigure][khttpd]") {
    const TempDir dir;
    CHECK(changes({"--keepalive-timeout", "05", "--header-timeout", "30"}) ==
          ParamMap{{"keepalive_timeout", "5"}, {"header_timeout", "30"}});
    CHECK(changes({"--port", "8081", "--bind", "::1", "--root", dir.path()}) ==
          ParamMap{{"port", "8081"}, {"bind", "::1"}, {"root", dir.path()}});
    CHECK(changes({"--listing", "1", "--max-conns", "0"}) ==
          ParamMap{{"listing", "1"}, {"max_conns", "0"}});
    CHECK_THROWS_WITH(changes({"--keepalive-timeout", "3601"}),
                      "--keepalive-timeout: '3601' is not in 0-3600");
    CHECK_THROWS_WITH(changes({"--header-timeout", "0"}), "--header-timeout: '0' is not in 1-3600");
    CHECK_THROWS_WITH(changes({"--root", "srv/www"}), "--root: 'srv/www' is not an absolute path");
    CHECK_THROWS_WITH(changes({"--root", dir.path() + "/nope"}),
                      "--root: '" + dir.path() + "/nope' is not an existing directory");
    CHECK_THROWS_WITH(changes({"--root", "/a b"}),
                      Catch::Contains("a path with blanks, quotes, backslashes"));
    CHECK_THROWS_WITH(changes({"--root", "/" + std::string(255, 'x')}),
                      Catch::Contains("longer than 255 bytes"));
    dir.write("file", "");
    CHECK_THROWS_WITH(changes({"--root", dir.path() + "/file"}),
                      Catch::Contains("is not an existing directory"));
    CHECK_THROWS_AS(changes({"--port", "0"}), UsageError);
    CHECK_THROWS_AS(changes({"--listing", "2"}), UsageError);
    // kecho's flags are not khttpd's.
    CHECK_THROWS_WITH(changes({"--keepalive", "5"}), Catch::Contains("--keepalive"));
    CHECK_THROWS_AS(changes({"--mode", "chat"}), UsageError);
    CHECK_THROWS_WITH(changes({}), Catch::Contains("keechoctl --module khttpd reconfigure --help"));
}

TEST_CASE("khttpd reconfigure: live options through sysfs, the line edited in place",
          "[reconfigure][khttpd]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir, "khttpd");
    dir.write("etc/modprobe.d/khttpd.conf",
              "# the admin's\noptions khttpd port=8080 root=/srv/khttpd\n# after\n");
    fake_default_khttpd(dir);
    FakeKecho khttpd(dir, "khttpd");
    const auto r = run_reconfigure(
        paths, changes({"--keepalive-timeout", "5", "--header-timeout", "20"}), khttpd);
    CHECK(khttpd.calls == Calls{"set keepalive_timeout=5", "set header_timeout=20"});
    CHECK(dir.read("sys/module/khttpd/parameters/keepalive_timeout") == "5\n");
    CHECK(dir.read("etc/modprobe.d/khttpd.conf") ==
          "# the admin's\noptions khttpd port=8080 root=/srv/khttpd header_timeout=20 "
          "keepalive_timeout=5\n# after\n");
    CHECK_THAT(r.out, Catch::Contains("keepalive_timeout 15 -> 5 (applied live)"));
    CHECK_THAT(r.out, Catch::Contains("updated " + paths.modprobe_conf));
    CHECK(r.err.empty());
}

TEST_CASE("khttpd reconfigure: a reload-only option warns and reloads, as kecho's do",
          "[reconfigure][khttpd]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir, "khttpd");
    fake_default_khttpd(dir);
    FakeKecho khttpd(dir, "khttpd");
    const auto r =
        run_reconfigure(paths, changes({"--root", dir.path(), "--max-conns", "50"}), khttpd);
    CHECK(khttpd.calls == Calls{"set max_conns=50", "reload"});
    CHECK_THAT(r.err,
               Catch::Contains("warning: root /srv/khttpd -> " + dir.path() +
                               " needs a reload of khttpd; its connections will be dropped"));
    CHECK_THAT(r.out, Catch::Contains("reloaded khttpd"));
    CHECK_THAT(dir.read("etc/modprobe.d/khttpd.conf"),
               Catch::StartsWith("# khttpd module options (see keechoctl(8))"));
    CHECK_THAT(dir.read("etc/modprobe.d/khttpd.conf"),
               Catch::EndsWith("options khttpd max_conns=50 root=" + dir.path() + "\n"));

    // A failed reload puts everything back.
    const TempDir dir2;
    const Paths paths2 = test::fake_paths(dir2, "khttpd");
    const std::string conf = "options khttpd port=8080\n";
    dir2.write("etc/modprobe.d/khttpd.conf", conf);
    fake_default_khttpd(dir2);
    FakeKecho failing(dir2, "khttpd");
    failing.fail_call = 1;
    CHECK_THROWS_AS(run_reconfigure(paths2, changes({"--port", "8081"}), failing),
                    std::system_error);
    CHECK(dir2.read("etc/modprobe.d/khttpd.conf") == conf);
}

TEST_CASE("khttpd reconfigure through the CLI: bad values change nothing", "[cli][khttpd]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir, "khttpd");
    const std::string conf = "# mine\noptions khttpd port=8080 keepalive_timeout=15\n";
    dir.write("etc/modprobe.d/khttpd.conf", conf);
    fake_default_khttpd(dir);
    for (const std::vector<std::string>& bad :
         {std::vector<std::string>{"--keepalive-timeout", "3601"},
          std::vector<std::string>{"--keepalive-timeout", "-1"},
          std::vector<std::string>{"--header-timeout", "0"},
          std::vector<std::string>{"--root", "relative"},
          std::vector<std::string>{"--root", "/does/not/exist"},
          std::vector<std::string>{"--port", "65536"},
          std::vector<std::string>{"--keepalive-timeout", "5", "--bind", "localhost"},
          std::vector<std::string>{"--bench", "1"}, std::vector<std::string>{}}) {
        std::vector<std::string> args{"--module", "khttpd", "reconfigure"};
        args.insert(args.end(), bad.begin(), bad.end());
        INFO((bad.empty() ? "(nothing)" : bad.front()));
        const auto r = run(paths, args);
        CHECK(r.rc == kExitUsage);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK(r.out.empty());
        CHECK(dir.read("etc/modprobe.d/khttpd.conf") == conf);
        CHECK(dir.read("sys/module/khttpd/parameters/keepalive_timeout") == "15\n");
    }
    // A good live value goes through the real sysfs write (a plain file here).
    const auto r = run(paths, {"--module", "khttpd", "reconfigure", "--keepalive-timeout", "5"});
    INFO(r.err);
    CHECK(r.rc == kExitOk);
    CHECK(dir.read("sys/module/khttpd/parameters/keepalive_timeout") == "5");
    CHECK(dir.read("etc/modprobe.d/khttpd.conf") ==
          "# mine\noptions khttpd port=8080 keepalive_timeout=5\n");
}

TEST_CASE("khttpd's modprobe.d lines are checked against its table", "[khttpd]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir, "khttpd");
    dir.write("etc/modprobe.d/khttpd.conf", "options khttpd keepalive_timeout=9999\n");
    const auto r = run(paths, {"--module", "khttpd", "reconfigure", "--header-timeout", "5"});
    CHECK(r.rc == kExitSystem);
    CHECK_THAT(r.err, Catch::Contains("khttpd.conf:1: keepalive_timeout=9999: not in 0-3600"));
}

TEST_CASE("khttpd status: module, parameters, counters and requests, human and --json",
          "[status][khttpd]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir, "khttpd");
    fake_default_khttpd(dir);
    // Port 1: nothing listens there, so health ends at "no listener".
    dir.write("sys/module/khttpd/parameters/port", "1\n");
    const std::string counters =
        "accepted 12\nactive 1\nrefused 0\nrequests 20\nstatus_2xx 15\nstatus_3xx 1\n"
        "status_4xx 3\nstatus_5xx 1\nbytes_in 2400\nbytes_out 90000\nfile_bytes 80000\n"
        "header_timeouts 2\nidle_timeouts 4\nclosed_unsent 0\nerrors 0\naccept_backoffs 0\n"
        "port 1\n";
    dir.write("proc/net/khttpd", counters);
    dir.write("etc/modprobe.d/khttpd.conf", "options khttpd port=1 root=/srv/www\n");

    const auto r = run(paths, {"--module", "khttpd", "status"});
    CHECK(r.rc == kExitOk);
    CHECK_THAT(r.out, Catch::StartsWith("khttpd: loaded, version 0.1.0\n"));
    CHECK_THAT(r.out, Catch::Contains("\nparameters: backlog=128 bind=\"\" header_timeout=10 "
                                      "keepalive_timeout=15 listing=N max_conns=10000 port=1 "
                                      "root=/srv/khttpd\n"));
    CHECK_THAT(r.out,
               Catch::Contains("\nmodprobe.d: " + paths.modprobe_conf + " port=1 root=/srv/www\n"));
    CHECK_THAT(r.out, !Catch::Contains("\nmode:"));
    CHECK_THAT(r.out, Catch::Contains("\ncounters: accept_backoffs 0 accepted 12 active 1 "
                                      "bytes_in 2400 bytes_out 90000 closed_unsent 0 errors 0 "
                                      "file_bytes 80000 header_timeouts 2 idle_timeouts 4 port 1 "
                                      "refused 0 requests 20 status_2xx 15 status_3xx 1 "
                                      "status_4xx 3 status_5xx 1\n"));
    CHECK_THAT(r.out, Catch::Contains("\nrequests: 20 (2xx 15, 3xx 1, 4xx 3, 5xx 1)\n"));
    CHECK_THAT(r.out, Catch::Contains("\nhealth: no listener on port 1\n"));

    const auto j =
        nlohmann::json::parse(run(paths, {"--module", "khttpd", "status", "--json"}).out);
    CHECK(j["server"] == "khttpd");
    CHECK(j["modules"][0]["name"] == "khttpd");
    CHECK(j["counters"]["file_bytes"] == 80000);
    CHECK(j["counters"]["idle_timeouts"] == 4);
    CHECK(j["counters"].size() == 17);
    CHECK(j["http"] == nlohmann::json{{"requests", 20},
                                      {"status_2xx", 15},
                                      {"status_3xx", 1},
                                      {"status_4xx", 3},
                                      {"status_5xx", 1}});
    CHECK_FALSE(j.contains("mode"));
    CHECK(j["parameters"]["root"] == "/srv/khttpd");
    CHECK(j["kernels"][0].contains("khttpd"));
}

TEST_CASE("khttpd status with nothing loaded", "[status][khttpd]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir, "khttpd");
    const auto r = run(paths, {"--module", "khttpd", "status"});
    CHECK(r.rc == kExitOk);
    CHECK_THAT(r.out, Catch::StartsWith("khttpd: not loaded\n"));
    CHECK_THAT(r.out, Catch::Contains("(absent: module defaults)"));
    CHECK_THAT(r.out, Catch::Contains("\nhealth: khttpd module is not loaded\n"));
    CHECK_THAT(r.out, Catch::Contains("no khttpd module"));
}

TEST_CASE("khttpd options: its rows, live from sysfs when loaded, else as declared",
          "[options][khttpd]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir, "khttpd");
    const auto find = [](const nlohmann::json& j, const std::string& name) {
        const auto& options = j["options"];
        const auto it = std::find_if(options.begin(), options.end(),
                                     [&name](const auto& o) { return o["name"] == name; });
        REQUIRE(it != options.end());
        return *it;
    };
    auto j = nlohmann::json::parse(run(paths, {"--module", "khttpd", "options", "--json"}).out);
    CHECK(j["module"] == "khttpd");
    CHECK(j["loaded"] == false);
    CHECK(find(j, "root")["flag"] == "--root");
    CHECK(find(j, "root")["default"] == "/srv/khttpd");
    CHECK(find(j, "root")["live"] == false);
    CHECK(find(j, "keepalive_timeout")["live"] == true);
    CHECK(find(j, "header_timeout")["values"] == "1-3600 seconds");
    CHECK_FALSE(find(j, "port").contains("value"));

    fake_default_khttpd(dir);
    dir.write("sys/module/khttpd/parameters/future_knob", "x\n");
    j = nlohmann::json::parse(run(paths, {"--module", "khttpd", "options", "--json"}).out);
    CHECK(j["loaded"] == true);
    CHECK(find(j, "port")["value"] == "8080");
    CHECK(find(j, "port")["live"] == false);
    CHECK(find(j, "max_conns")["live"] == true);
    CHECK(find(j, "future_knob")["flag"].is_null());
    const auto human = run(paths, {"--module", "khttpd", "options"});
    CHECK_THAT(human.out, Catch::StartsWith("khttpd's options (descriptions from "));
    CHECK_THAT(human.out,
               Catch::Contains("root          --root: an absolute path of a directory, default "
                               "/srv/khttpd; now /srv/khttpd, applies by a reload\n"));
}
