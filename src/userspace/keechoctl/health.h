// The health decision: module loaded, a listener on its port, a real echo
// round trip. check_health() reaches the system only through HealthProbe;
// SystemHealthProbe, below, is the real one (/sys, /proc, sock_diag and a
// TCP client). The tests fake HealthProbe.
#pragma once

#include "module_state.h"
#include "paths.h"

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

// HealthProbe on the real system: kecho's /sys/module parameters, a
// sock_diag dump (kecho's counters without it) and a TCP client that sends
// 64 random bytes to kecho's address (its bind parameter, else loopback)
// and reads them back within `echo_timeout`.
class SystemHealthProbe final : public HealthProbe {
  public:
    SystemHealthProbe(const Paths& paths, std::chrono::milliseconds echo_timeout)
        : paths_(paths), kecho_(paths, kKecho), timeout_(echo_timeout) {}

    bool module_loaded() override;
    std::optional<std::uint16_t> configured_port() override;
    bool listener_present(std::uint16_t port) override;
    EchoResult echo(std::uint16_t port) override;

  private:
    Paths paths_;
    ModuleState kecho_;
    std::chrono::milliseconds timeout_;
};

} // namespace kecho::ctl
