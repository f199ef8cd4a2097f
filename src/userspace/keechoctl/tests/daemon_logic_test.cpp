#include "daemon_logic.h"

#include <catch2/catch.hpp>

using namespace kecho::ctl;

namespace {

HealthReport healthy() {
    HealthReport r;
    r.port = 12345;
    r.reason = "healthy: echo round trip on port 12345 in 0.3 ms";
    return r;
}

HealthReport problem(HealthProblem p, std::string reason) {
    HealthReport r;
    r.problem = p;
    r.port = 12345;
    r.reason = std::move(reason);
    return r;
}

} // namespace

TEST_CASE("READY=1 only after the first passing check, then never again", "[daemon]") {
    DaemonLogic logic;
    auto d = logic.on_health(problem(HealthProblem::ModuleMissing, "kecho module is not loaded"));
    CHECK_FALSE(d.send_ready);
    CHECK_FALSE(d.ping_watchdog);
    CHECK(d.restore == RestoreAction::LoadModule);
    CHECK_FALSE(logic.ready());

    d = logic.on_health(healthy());
    CHECK(d.send_ready);
    CHECK(d.ping_watchdog);
    CHECK(d.restore == RestoreAction::None);
    CHECK(d.status == healthy().reason);
    CHECK(logic.ready());

    d = logic.on_health(healthy());
    CHECK_FALSE(d.send_ready);
    CHECK(d.ping_watchdog);
    CHECK_FALSE(d.log); // no news, no log line
}

TEST_CASE("watchdog is pinged only while healthy", "[daemon]") {
    DaemonLogic logic;
    logic.on_health(healthy());
    for (const auto p :
         {HealthProblem::ModuleMissing, HealthProblem::ListenerMissing, HealthProblem::EchoFailed,
          HealthProblem::PortUnknown, HealthProblem::ModeUnknown}) {
        const auto d = logic.on_health(problem(p, "x"));
        CHECK_FALSE(d.ping_watchdog);
        CHECK_FALSE(d.send_ready);
        CHECK_THAT(d.status, Catch::StartsWith("unhealthy: x"));
    }
}

TEST_CASE("restores: missing module is loaded, missing listener reloads", "[daemon]") {
    DaemonLogic logic;
    logic.on_health(healthy());
    auto d = logic.on_health(problem(HealthProblem::ModuleMissing, "kecho module is not loaded"));
    CHECK(d.restore == RestoreAction::LoadModule);
    REQUIRE(d.log);
    CHECK_THAT(*d.log, Catch::Contains("unloaded behind our back"));
    CHECK(d.log_priority == LOG_WARNING);

    d = logic.on_health(problem(HealthProblem::ListenerMissing, "no listener on port 12345"));
    CHECK(d.restore == RestoreAction::ReloadModule);
    REQUIRE(d.log);
    CHECK(*d.log == "no listener on port 12345; reloading kecho to restore it");

    d = logic.on_health(healthy());
    REQUIRE(d.log);
    CHECK_THAT(*d.log, Catch::StartsWith("recovered: "));
    CHECK_FALSE(d.send_ready);
}

TEST_CASE("echo failures reload only after several in a row", "[daemon]") {
    DaemonLogic logic(3);
    logic.on_health(healthy());
    const auto echo_fail = problem(HealthProblem::EchoFailed, "echo failed");
    CHECK(logic.on_health(echo_fail).restore == RestoreAction::None);
    CHECK(logic.on_health(echo_fail).restore == RestoreAction::None);
    CHECK(logic.on_health(echo_fail).restore == RestoreAction::ReloadModule);
    CHECK(logic.on_health(echo_fail).restore == RestoreAction::None); // counter restarted
    logic.on_health(healthy());
    CHECK(logic.on_health(echo_fail).restore == RestoreAction::None);
}

TEST_CASE("after SIGHUP, READY=1 is sent again once healthy", "[daemon]") {
    DaemonLogic logic;
    logic.on_health(healthy());
    logic.reloading();
    CHECK_FALSE(logic.on_health(problem(HealthProblem::ListenerMissing, "x")).send_ready);
    CHECK(logic.on_health(healthy()).send_ready);
    CHECK_FALSE(logic.on_health(healthy()).send_ready);
}

TEST_CASE("a problem that persists is logged once, its restore tried every time", "[daemon]") {
    DaemonLogic logic;
    logic.on_health(healthy());
    const auto missing = problem(HealthProblem::ModuleMissing, "kecho module is not loaded");
    auto d = logic.on_health(missing);
    CHECK(d.log);
    for (int i = 0; i < 3; ++i) {
        d = logic.on_health(missing);
        CHECK_FALSE(d.log);
        CHECK(d.restore == RestoreAction::LoadModule);
    }
    d = logic.on_health(problem(HealthProblem::ListenerMissing, "no listener on port 12345"));
    CHECK(d.log); // a different problem is news
    logic.on_health(healthy());
    CHECK(logic.on_health(missing).log); // and so is the same one after a recovery
}

TEST_CASE("a mode keechoctl cannot speak is logged once and never reloads", "[daemon]") {
    DaemonLogic logic(1);
    logic.on_health(healthy());
    const auto unknown =
        problem(HealthProblem::ModeUnknown, "kecho's mode is 'x', which keechoctl cannot check");
    auto d = logic.on_health(unknown);
    CHECK(d.restore == RestoreAction::None);
    CHECK(d.log == unknown.reason);
    d = logic.on_health(unknown);
    CHECK(d.restore == RestoreAction::None);
    CHECK_FALSE(d.log);
}
