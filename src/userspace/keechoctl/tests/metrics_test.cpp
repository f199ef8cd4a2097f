// The Prometheus text: names, types and help for every /proc/net/kecho
// counter, what a loaded, an unloaded and an older kecho export, label
// escaping, and `keechoctl metrics` on a fake /sys and /proc.
// (metrics_promtool_test.cpp runs the same texts through promtool.)
#include "cli.h"
#include "errors.h"
#include "metrics.h"
#include "metrics_samples.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

using namespace kecho::ctl;
using kecho::ctl::test::TempDir;

namespace {

// kecho_stats_show()'s keys: it lives in kecho_procfs.c (kecho_stats.c
// before the engine was shared with khttpd).
std::set<std::string> keys_kecho_prints() {
    const std::string kernel = std::string(KEECHOCTL_SOURCE_TOP) + "/src/kernel/";
    std::ifstream in(kernel + "kecho_procfs.c");
    if (!in)
        in.open(kernel + "kecho_stats.c");
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string src = ss.str();
    const std::regex line(R"re(seq_printf\(m, "([a-z_]+) %)re");
    std::set<std::string> keys;
    for (auto it = std::sregex_iterator(src.begin(), src.end(), line); it != std::sregex_iterator();
         ++it)
        keys.insert((*it)[1].str());
    return keys;
}

// Sample lines (not comments) by metric name with labels, in order.
std::vector<std::string> samples(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (!l.empty() && l[0] != '#')
            out.push_back(l);
    return out;
}

} // namespace

TEST_CASE("metrics: every counter /proc/net/kecho prints is exported", "[metrics]") {
    const auto printed = keys_kecho_prints();
    REQUIRE(printed.size() > 10); // the regex found kecho_stats_show()'s lines
    std::set<std::string> exported;
    for (const auto& m : stat_metrics())
        exported.insert(std::string(m.key));
    for (const auto& key : printed) {
        INFO("/proc/net/kecho key " << key);
        CHECK((exported.count(key) == 1 || key == "port"));
    }
    for (const auto& key : exported) {
        INFO("exported key " << key);
        CHECK(printed.count(key) == 1);
    }
}

TEST_CASE("metrics: names follow Prometheus conventions", "[metrics]") {
    std::set<std::string_view> names;
    for (const auto& m : stat_metrics()) {
        INFO(m.name);
        CHECK(m.name.starts_with("kecho_"));
        CHECK((m.type == "counter" || m.type == "gauge"));
        CHECK((m.type == "counter") == m.name.ends_with("_total"));
        CHECK_FALSE(m.help.empty());
        CHECK(m.help.back() == '.');
        CHECK(names.insert(m.name).second);
    }
}

TEST_CASE("metrics: a loaded, healthy kecho", "[metrics]") {
    const std::string text = prometheus_text(test::sample_healthy_snapshot());
    const auto s = samples(text);
    CHECK(s.front() == "kecho_up{module=\"kecho\"} 1");
    CHECK(s[1] == "kecho_up{module=\"drop_tcp_socket\"} 0");
    CHECK_THAT(text,
               Catch::Contains("\nkecho_info{version=\"0.1.0\",mode=\"chat\",port=\"12345\"} 1\n"));
    CHECK_THAT(text, Catch::Contains("\nkecho_healthy 1\n"));
    CHECK_THAT(text, Catch::Contains("\nkecho_echo_round_trip_seconds 0.001234\n"));
    CHECK_THAT(text, Catch::Contains("# TYPE kecho_connections_accepted_total counter\n"
                                     "kecho_connections_accepted_total 9\n"));
    CHECK_THAT(text, Catch::Contains("# TYPE kecho_connections_active gauge\n"
                                     "kecho_connections_active 3\n"));
    CHECK_THAT(text, Catch::Contains("\nkecho_chat_slow_dropped_total 1\n"));
    CHECK_THAT(text, Catch::Contains("\nkecho_chat_queued_bytes 4160\n"));
    // Every sample's family is introduced once, right before it.
    std::set<std::string> families;
    std::istringstream in(text);
    std::string prev;
    for (std::string l; std::getline(in, l); prev = l) {
        if (l.starts_with("# HELP ")) {
            CHECK(families.insert(l.substr(7, l.find(' ', 7) - 7)).second);
            continue;
        }
        if (l.starts_with("#"))
            continue;
        const std::string name = l.substr(0, l.find_first_of("{ "));
        INFO(l);
        CHECK((prev.starts_with("# TYPE " + name + " ") || prev.starts_with(name)));
    }
    CHECK_THAT(text, !Catch::Contains("port "));
}

TEST_CASE("metrics: unloaded, unhealthy, and an older kecho's missing counters", "[metrics]") {
    MetricsSnapshot none;
    CHECK(samples(prometheus_text(none)) ==
          std::vector<std::string>{"kecho_up{module=\"kecho\"} 0",
                                   "kecho_up{module=\"drop_tcp_socket\"} 0"});
    HealthReport sick;
    sick.problem = HealthProblem::ModuleMissing;
    none.health = sick;
    CHECK(samples(prometheus_text(none)).back() == "kecho_healthy 0");
    CHECK_THAT(prometheus_text(none), !Catch::Contains("round_trip"));

    MetricsSnapshot old = test::sample_healthy_snapshot();
    old.stats = parse_kecho_stats("accepted 1\nactive 0\nport 7\n");
    const std::string text = prometheus_text(old);
    CHECK_THAT(text, Catch::Contains("\nkecho_connections_accepted_total 1\n"));
    CHECK_THAT(text, !Catch::Contains("kecho_chat_"));
    CHECK_THAT(text, !Catch::Contains("kecho_messages_"));
}

TEST_CASE("metrics: label values are escaped", "[metrics]") {
    CHECK(escape_label_value("plain") == "plain");
    CHECK(escape_label_value("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
    MetricsSnapshot snap = test::sample_healthy_snapshot();
    snap.version = "1.0 \"odd\"";
    CHECK_THAT(prometheus_text(snap), Catch::Contains("version=\"1.0 \\\"odd\\\"\""));
}

TEST_CASE("keechoctl metrics on a fake system", "[metrics][cli]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    std::ostringstream out;
    std::ostringstream err;
    Context ctx{paths, out, err};
    const auto cli = [&ctx](std::vector<std::string> args) { return run_cli(args, ctx); };
    // Not loaded: still metrics, exit 0.
    CHECK(cli({"metrics", "--no-health"}) == kExitOk);
    CHECK(samples(out.str()).front() == "kecho_up{module=\"kecho\"} 0");

    test::fake_kecho_loaded(dir, {{"port", "1"}, {"mode", "message"}});
    dir.write("proc/net/kecho", "accepted 4\nactive 1\nmessages_in 2\nport 1\n");
    out.str("");
    CHECK(cli({"metrics", "--no-health"}) == kExitOk);
    CHECK_THAT(out.str(),
               Catch::Contains("kecho_info{version=\"0.1.0\",mode=\"message\",port=\"1\"} 1"));
    CHECK_THAT(out.str(), Catch::Contains("\nkecho_messages_received_total 2\n"));
    CHECK_THAT(out.str(), !Catch::Contains("kecho_healthy"));
    // With the health check: nothing listens on port 1.
    out.str("");
    CHECK(cli({"metrics", "--timeout", "300"}) == kExitOk);
    CHECK_THAT(out.str(), Catch::Contains("\nkecho_healthy 0\n"));

    out.str("");
    CHECK(cli({"metrics", "--timeout", "0"}) == kExitUsage);
    CHECK(out.str().empty());
    CHECK(cli({"daemon", "--metrics-file", "/tmp/kecho.txt"}) == kExitUsage);
    CHECK_THAT(err.str(), Catch::Contains("--metrics-file: '/tmp/kecho.txt' must be a file name "
                                          "ending in .prom"));
}
