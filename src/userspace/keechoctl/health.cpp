#include "health.h"

#include <array>
#include <cstdio>

namespace kecho::ctl {

namespace {

std::string format_ms(std::chrono::microseconds us) {
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%.1f ms", static_cast<double>(us.count()) / 1000.0);
    return buf.data();
}

} // namespace

HealthReport check_health(HealthProbe& probe) {
    HealthReport r;
    if (!probe.module_loaded()) {
        r.problem = HealthProblem::ModuleMissing;
        r.reason = "kecho module is not loaded";
        return r;
    }
    const auto port = probe.configured_port();
    if (!port) {
        r.problem = HealthProblem::PortUnknown;
        r.reason = "cannot read kecho's port parameter";
        return r;
    }
    r.port = *port;
    const std::string on = " on port " + std::to_string(*port);
    if (!probe.listener_present(*port)) {
        r.problem = HealthProblem::ListenerMissing;
        r.reason = "no listener" + on;
        return r;
    }
    const EchoResult echo = probe.echo(*port);
    if (!echo.ok) {
        r.problem = HealthProblem::EchoFailed;
        r.reason = "echo round trip" + on + " failed: " + echo.error;
        return r;
    }
    r.rtt = echo.rtt;
    r.reason = "healthy: echo round trip" + on + " in " + format_ms(echo.rtt);
    return r;
}

} // namespace kecho::ctl
