// The health decision, for the server --module chose (server.h): module
// loaded, a listener on its port, then a real round trip. khttpd: GET /
// (HTTP/1.1, Connection: close), read until khttpd closes, healthy when the
// response starts with a well-formed HTTP/1.x status line (http_status.h),
// whatever its code. kecho: an echo in kecho's mode: 64 random bytes in stream mode; in message
// mode one framed message (a 4-byte body length in kecho's msg_order, then
// the body), which must come back whole; in chat mode one framed probe
// message sent on one connection must reach a second connection (kecho
// relays it to every other client, so other members of the room see the
// probe too: its body starts with "keechoctl-health "). check_health()
// reaches the system only through HealthProbe; SystemHealthProbe, below, is
// the real one (/sys, /proc, sock_diag and TCP clients). The tests fake
// HealthProbe, and run chat_relay_trip() against a loopback fake relay.
#pragma once

#include "inet_addr.h"
#include "module_state.h"
#include "paths.h"
#include "server.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kecho::ctl {

struct EchoResult {
    bool ok = false;   // as many bytes came back as were sent
    std::string error; // why not, when !ok
    std::chrono::microseconds rtt{0};
    std::vector<std::uint8_t> reply;
    unsigned sends = 1; // chat mode: how many times the probe was sent
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
    // The port the server is configured to serve (its port parameter).
    virtual std::optional<std::uint16_t> configured_port() = 0;
    // Another parameter as sysfs shows it (mode, msg_order, max_msg);
    // nullopt when this kecho has no such parameter.
    virtual std::optional<std::string> param(const std::string& name) = 0;
    virtual bool listener_present(std::uint16_t port) = 0;
    // Connect to kecho on `port`, send `request`, read back as many bytes.
    virtual EchoResult round_trip(std::uint16_t port, std::span<const std::uint8_t> request) = 0;
    // Chat mode: connect a receiver and a sender to kecho on `port`; send
    // `message` (one framed message, its length in `little_endian` order or
    // network order) from the sender until the receiver gets it whole; the
    // reply is the message as the receiver got it.
    virtual EchoResult relay_trip(std::uint16_t port, std::span<const std::uint8_t> message,
                                  bool little_endian) = 0;
    // khttpd: connect to `port`, send `request`, read until the server
    // closes; ok when it closed (the reply is what arrived, at most
    // kHttpReplyKept bytes of it), else why not.
    virtual EchoResult http_trip(std::uint16_t port, std::span<const std::uint8_t> request) = 0;
};

// What the khttpd check sends.
inline constexpr std::string_view kHttpHealthRequest =
    "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

// How much of an HTTP response http_trip keeps; the rest is read and dropped.
inline constexpr std::size_t kHttpReplyKept = 4096;

// How health speaks to kecho: its mode and msg_order parameters.
struct EchoFraming {
    bool message = false;       // mode=message or chat: length-prefixed messages
    bool little_endian = false; // msg_order=le; be (network order) otherwise
    bool chat = false;          // mode=chat: relayed to the other clients, not echoed
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

// Chat mode's receiving side: fed the bytes a receiver reads, in any
// pieces, it splits them into messages (4-byte body length in the given
// byte order, then the body) and says when one of them is `probe` (a whole
// framed message) byte for byte. Other members' messages are skipped
// without being kept, however large.
class ProbeMatcher {
  public:
    ProbeMatcher(std::span<const std::uint8_t> probe, bool little_endian);

    // True once a message equal to the probe has been read (and from then on).
    bool feed(std::span<const std::uint8_t> bytes);
    [[nodiscard]] bool found() const { return found_; }
    // Whole messages read that were not the probe.
    [[nodiscard]] std::uint64_t others() const { return others_; }

  private:
    std::vector<std::uint8_t> probe_;
    bool little_endian_;
    std::vector<std::uint8_t> frame_; // the current message, while it may still be the probe
    std::uint64_t skip_ = 0;          // body bytes of a message that is not the probe
    bool found_ = false;
    std::uint64_t others_ = 0;
};

// How long the chat probe's sender waits before sending it again after the
// `sent`-th time (the receiver may have joined after a probe was relayed):
// 25 ms, doubling, at most 500 ms.
std::chrono::milliseconds chat_resend_delay(unsigned sent);

enum class HealthProblem {
    None,
    ModuleMissing,
    PortUnknown,
    ListenerMissing,
    ModeUnknown, // a mode or msg_order keechoctl cannot speak; a reload would not help
    EchoFailed,  // the round trip (echo, message, chat relay or HTTP request) failed
};

struct HealthReport {
    HealthProblem problem = HealthProblem::None;
    std::uint16_t port = 0;
    std::string reason; // one line, e.g. "no listener on port 12345"
    std::chrono::microseconds rtt{0};
    std::string mode;         // "stream", "message" or "chat", once known
    unsigned http_status = 0; // khttpd: the status code GET / got
    [[nodiscard]] bool healthy() const { return problem == HealthProblem::None; }
};

HealthReport check_health(HealthProbe& probe, const Server& server);

// The chat probe on real sockets: connect a receiver, then a sender, to
// `addr`:`port`; send `message` from the sender, again after each
// chat_resend_delay(), until the receiver reads it whole (ProbeMatcher);
// read and drop whatever reaches the sender meanwhile (its own probe when
// chat_echo=1, other members' messages). Everything within `timeout`.
EchoResult chat_relay_trip(const InetAddr& addr, std::uint16_t port,
                           std::span<const std::uint8_t> message, bool little_endian,
                           std::chrono::milliseconds timeout);

// khttpd's probe on a real socket: connect to `addr`:`port`, send `request`,
// read until the peer closes, all within `timeout`. ok once it closed, with
// the first kHttpReplyKept bytes as the reply; a timeout or a reset is not
// ok, with what arrived until then as the reply.
EchoResult http_round_trip(const InetAddr& addr, std::uint16_t port,
                           std::span<const std::uint8_t> request,
                           std::chrono::milliseconds timeout);

// HealthProbe on the real system: the server module's /sys/module
// parameters, a sock_diag dump (its /proc/net counters without it) and a
// TCP client that sends the request to the server's address (its bind
// parameter, else loopback) and reads the reply within `echo_timeout`.
class SystemHealthProbe final : public HealthProbe {
  public:
    SystemHealthProbe(const Paths& paths, const Server& server,
                      std::chrono::milliseconds echo_timeout)
        : paths_(paths), kecho_(paths, std::string(server.module)), timeout_(echo_timeout) {}

    bool module_loaded() override;
    std::optional<std::uint16_t> configured_port() override;
    std::optional<std::string> param(const std::string& name) override;
    bool listener_present(std::uint16_t port) override;
    EchoResult round_trip(std::uint16_t port, std::span<const std::uint8_t> request) override;
    EchoResult relay_trip(std::uint16_t port, std::span<const std::uint8_t> message,
                          bool little_endian) override;
    EchoResult http_trip(std::uint16_t port, std::span<const std::uint8_t> request) override;

  private:
    Paths paths_;
    ModuleState kecho_;
    std::chrono::milliseconds timeout_;
};

} // namespace kecho::ctl
