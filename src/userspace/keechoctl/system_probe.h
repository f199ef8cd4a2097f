// HealthProbe on the real system: /sys, /proc, sock_diag and a TCP client.
#pragma once

#include "health.h"
#include "module_state.h"
#include "paths.h"

#include <chrono>

namespace kecho::ctl {

class SystemProbe final : public HealthProbe {
  public:
    SystemProbe(const Paths& paths, std::chrono::milliseconds echo_timeout)
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
