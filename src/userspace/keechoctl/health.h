// The health decision: module loaded, a listener on its port, a real echo
// round trip. The system is reached only through HealthProbe, so the logic is
// tested with a fake.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace kecho::ctl {

struct EchoResult {
    bool ok = false;
    std::string error; // why not, when !ok
    std::chrono::microseconds rtt{0};
};

class HealthProbe {
  public:
    HealthProbe() = default;
    HealthProbe(const HealthProbe&) = delete;
    HealthProbe& operator=(const HealthProbe&) = delete;
    HealthProbe(HealthProbe&&) = delete;
    HealthProbe& operator=(HealthProbe&&) = delete;
    virtual ~HealthProbe() = default;

    virtual bool module_loaded() = 0;
    // The port kecho is configured to serve (its port parameter).
    virtual std::optional<std::uint16_t> configured_port() = 0;
    virtual bool listener_present(std::uint16_t port) = 0;
    virtual EchoResult echo(std::uint16_t port) = 0;
};

enum class HealthProblem { None, ModuleMissing, PortUnknown, ListenerMissing, EchoFailed };

struct HealthReport {
    HealthProblem problem = HealthProblem::None;
    std::uint16_t port = 0;
    std::string reason; // one line, e.g. "no listener on port 12345"
    std::chrono::microseconds rtt{0};
    [[nodiscard]] bool healthy() const { return problem == HealthProblem::None; }
};

HealthReport check_health(HealthProbe& probe);

} // namespace kecho::ctl
