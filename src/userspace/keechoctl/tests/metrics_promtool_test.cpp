// The metrics text through Prometheus's own linter, `promtool check
// metrics` (Debian's prometheus package): parse errors and convention
// problems (a counter without _total, a unit not in base units, missing
// HELP) make it exit non-zero. A known-bad text shows that it can.
#include "metrics.h"
#include "metrics_samples.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>
#include <sys/wait.h>

using namespace kecho::ctl;
using kecho::ctl::test::TempDir;

namespace {

struct Lint {
    int rc;
    std::string output;
};

Lint promtool(const std::string& text) {
    const TempDir dir;
    dir.write("in.prom", text);
    const std::string cmd = std::string(KEECHOCTL_PROMTOOL) + " check metrics <" + dir.path() +
                            "/in.prom >" + dir.path() + "/out 2>&1";
    const int status = std::system(cmd.c_str()); // NOLINT(cert-env33-c): a test's own command
    REQUIRE(WIFEXITED(status));
    return {WEXITSTATUS(status), dir.read("out")};
}

} // namespace

TEST_CASE("promtool: a known-bad text fails the check", "[promtool]") {
    const auto r = promtool("# HELP kecho_sent_bytes Bytes.\n# TYPE kecho_sent_bytes counter\n"
                            "kecho_sent_bytes 1\n");
    CHECK(r.rc != 0);
    CHECK_THAT(r.output, Catch::Contains("_total"));
}

TEST_CASE("promtool: kecho's metrics pass, loaded or not, healthy or not", "[promtool]") {
    MetricsSnapshot snap = test::sample_healthy_snapshot();
    auto r = promtool(prometheus_text(snap));
    INFO(r.output);
    CHECK(r.rc == 0);
    CHECK(r.output.empty());

    HealthReport sick;
    sick.problem = HealthProblem::EchoFailed;
    snap.health = sick;
    r = promtool(prometheus_text(snap));
    INFO(r.output);
    CHECK(r.rc == 0);
    CHECK(r.output.empty());

    r = promtool(prometheus_text(MetricsSnapshot{}));
    INFO(r.output);
    CHECK(r.rc == 0);
    CHECK(r.output.empty());
}
