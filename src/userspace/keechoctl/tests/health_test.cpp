#include "health.h"

#include <catch2/catch.hpp>

using namespace kecho::ctl;

namespace {

// Fake system boundary: records what was asked.
class FakeProbe final : public HealthProbe {
  public:
    bool loaded = true;
    std::optional<std::uint16_t> port = 12345;
    bool listening = true;
    EchoResult echo_result{true, "", std::chrono::microseconds(1500)};
    std::vector<std::uint16_t> echoed_ports;

    bool module_loaded() override { return loaded; }
    std::optional<std::uint16_t> configured_port() override { return port; }
    bool listener_present(std::uint16_t p) override { return listening && port == p; }
    EchoResult echo(std::uint16_t p) override {
        echoed_ports.push_back(p);
        return echo_result;
    }
};

} // namespace

TEST_CASE("healthy: loaded, listening, echo round trip on the configured port", "[health]") {
    FakeProbe probe;
    probe.port = 4000;
    const auto r = check_health(probe);
    CHECK(r.healthy());
    CHECK(r.port == 4000);
    CHECK(r.rtt == std::chrono::microseconds(1500));
    CHECK(r.reason == "healthy: echo round trip on port 4000 in 1.5 ms");
    CHECK(probe.echoed_ports == std::vector<std::uint16_t>{4000});
}

TEST_CASE("each failure has its own problem and one-line reason", "[health]") {
    {
        FakeProbe probe;
        probe.loaded = false;
        const auto r = check_health(probe);
        CHECK(r.problem == HealthProblem::ModuleMissing);
        CHECK(r.reason == "kecho module is not loaded");
        CHECK(probe.echoed_ports.empty());
    }
    {
        FakeProbe probe;
        probe.port.reset();
        CHECK(check_health(probe).problem == HealthProblem::PortUnknown);
    }
    {
        FakeProbe probe;
        probe.listening = false;
        const auto r = check_health(probe);
        CHECK(r.problem == HealthProblem::ListenerMissing);
        CHECK(r.reason == "no listener on port 12345");
        CHECK(probe.echoed_ports.empty());
    }
    {
        FakeProbe probe;
        probe.echo_result = {false, "recv: Connection timed out", {}};
        const auto r = check_health(probe);
        CHECK(r.problem == HealthProblem::EchoFailed);
        CHECK(r.reason == "echo round trip on port 12345 failed: recv: Connection timed out");
        CHECK(r.reason.find('\n') == std::string::npos);
    }
}
