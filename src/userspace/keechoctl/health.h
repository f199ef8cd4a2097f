// The health decision: module loaded, a listener on its port, a real echo
// round trip in kecho's mode: 64 random bytes in stream mode; in message
// mode one framed message (a 4-byte body length in kecho's msg_order, then
// the body), which must come back whole. check_health() reaches the system
// only through HealthProbe; SystemHealthProbe, below, is the real one
// (/sys, /proc, sock_diag and a TCP client). The tests fake HealthProbe.
#pragma once

#include "module_state.h"
#include "paths.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kecho::ctl {

struct EchoResult {
    bool ok = false;   // as many bytes came back as were sent
    std::string error; // why not, when !ok
    std::chrono::microseconds rtt{0};
    std::vector<std::uint8_t> reply;
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
    // Another parameter as sysfs shows it (mode, msg_order, max_msg);
    // nullopt when this kecho has no such parameter.
    virtual std::optional<std::string> param(const std::string& name) = 0;
    virtual bool listener_present(std::uint16_t port) = 0;
    // Connect to kecho on `port`, send `request`, read back as many bytes.
    virtual EchoResult round_trip(std::uint16_t port, std::span<const std::uint8_t> request) = 0;
};

// How health speaks to kecho: its mode and msg_order parameters.
struct EchoFraming {
    bool message = false;       // mode=message: length-prefixed messages
    bool little_endian = false; // msg_order=le; be (network order) otherwise
};

// From the mode and msg_order parameters (nullopt: a kecho without them,
// i.e. stream mode, big-endian); nullopt for a value keechoctl does not
// know, with why in `problem`.
std::optional<EchoFraming> echo_framing(const std::optional<std::string>& mode,
                                        const std::optional<std::string>& order,
                                        std::string& problem);

// What health sends: `body` as is in stream mode; in message mode a 4-byte
// length of `body` in the framing's byte order, then `body`.
std::vector<std::uint8_t> frame_request(const EchoFraming& framing,
                                        std::span<const std::uint8_t> body);

enum class HealthProblem {
    None,
    ModuleMissing,
    PortUnknown,
    ListenerMissing,
    ModeUnknown, // a mode or msg_order keechoctl cannot speak; a reload would not help
    EchoFailed,
};

struct HealthReport {
    HealthProblem problem = HealthProblem::None;
    std::uint16_t port = 0;
    std::string reason; // one line, e.g. "no listener on port 12345"
    std::chrono::microseconds rtt{0};
    std::string mode; // "stream" or "message", once known
    [[nodiscard]] bool healthy() const { return problem == HealthProblem::None; }
};

HealthReport check_health(HealthProbe& probe);

// HealthProbe on the real system: kecho's /sys/module parameters, a
// sock_diag dump (kecho's counters without it) and a TCP client that sends
// the request to kecho's address (its bind parameter, else loopback) and
// reads the reply within `echo_timeout`.
class SystemHealthProbe final : public HealthProbe {
  public:
    SystemHealthProbe(const Paths& paths, std::chrono::milliseconds echo_timeout)
        : paths_(paths), kecho_(paths, kKecho), timeout_(echo_timeout) {}

    bool module_loaded() override;
    std::optional<std::uint16_t> configured_port() override;
    std::optional<std::string> param(const std::string& name) override;
    bool listener_present(std::uint16_t port) override;
    EchoResult round_trip(std::uint16_t port, std::span<const std::uint8_t> request) override;

  private:
    Paths paths_;
    ModuleState kecho_;
    std::chrono::milliseconds timeout_;
};

} // namespace kecho::ctl
