#include "health.h"

#include <catch2/catch.hpp>
#include <map>

using namespace kecho::ctl;

namespace {

// Fake system boundary: records what was asked, and echoes the way kecho
// does in its mode: stream mode sends every byte back; message mode reads
// the length header in ITS msg_order, resets the connection on a body over
// max_msg, waits (times out) for a body that never comes, and sends back
// each whole message.
class FakeProbe final : public HealthProbe {
  public:
    bool loaded = true;
    std::optional<std::uint16_t> port = 12345;
    bool listening = true;
    std::map<std::string, std::string> params; // mode, msg_order, max_msg
    EchoResult echo_result{true, "", std::chrono::microseconds(1500), {}};
    bool corrupt = false; // flip a byte of the reply
    std::vector<std::uint16_t> echoed_ports;
    std::vector<std::vector<std::uint8_t>> requests;

    bool module_loaded() override { return loaded; }
    std::optional<std::uint16_t> configured_port() override { return port; }
    std::optional<std::string> param(const std::string& name) override {
        const auto it = params.find(name);
        return it == params.end() ? std::nullopt : std::optional(it->second);
    }
    bool listener_present(std::uint16_t p) override { return listening && port == p; }
    EchoResult round_trip(std::uint16_t p, std::span<const std::uint8_t> request) override {
        echoed_ports.push_back(p);
        requests.emplace_back(request.begin(), request.end());
        EchoResult r = echo_result;
        if (!r.ok)
            return r;
        if (param("mode") == "message") {
            if (request.size() < 4)
                return {false, "recv: Connection timed out", {}, {}};
            const bool le = param("msg_order") == "le";
            std::uint32_t len = 0;
            for (int i = 0; i < 4; ++i)
                len |= static_cast<std::uint32_t>(request[static_cast<size_t>(i)])
                       << (8 * (le ? i : 3 - i));
            const auto max_msg = param("max_msg");
            const std::uint64_t max = max_msg ? std::stoull(*max_msg) : 65536;
            if (len > max)
                return {false, "recv: Connection reset by peer", {}, {}};
            if (len != request.size() - 4)
                return {false, "recv: Connection timed out", {}, {}};
        }
        r.reply.assign(request.begin(), request.end());
        if (corrupt)
            r.reply.back() ^= 1;
        return r;
    }
    // Chat mode: what the receiving connection got, as a relay would.
    std::vector<bool> relay_orders; // little_endian of each relay_trip
    EchoResult relay_result{true, "", std::chrono::microseconds(2500), {}, 3};
    EchoResult relay_trip(std::uint16_t p, std::span<const std::uint8_t> message,
                          bool little_endian) override {
        relayed_ports.push_back(p);
        relayed.emplace_back(message.begin(), message.end());
        relay_orders.push_back(little_endian);
        EchoResult r = relay_result;
        if (r.ok) {
            r.reply.assign(message.begin(), message.end());
            if (corrupt)
                r.reply.back() ^= 1;
        }
        return r;
    }
    std::vector<std::uint16_t> relayed_ports;
    std::vector<std::vector<std::uint8_t>> relayed;
    EchoResult http_trip(std::uint16_t /*port*/,
                         std::span<const std::uint8_t> /*request*/) override {
        FAIL("kecho's check must not speak HTTP (http_health_test.cpp tests khttpd's)");
        return {};
    }
};

} // namespace

TEST_CASE("healthy: loaded, listening, echo round trip on the configured port", "[health]") {
    FakeProbe probe;
    probe.port = 4000;
    const auto r = check_health(probe, kecho_server());
    CHECK(r.healthy());
    CHECK(r.port == 4000);
    CHECK(r.rtt == std::chrono::microseconds(1500));
    CHECK(r.reason == "healthy: echo round trip on port 4000 in 1.5 ms");
    CHECK(probe.echoed_ports == std::vector<std::uint16_t>{4000});
    REQUIRE(probe.requests.size() == 1);
    CHECK(probe.requests[0].size() == 64);
    CHECK(r.mode == "stream");
}

TEST_CASE("each failure has its own problem and one-line reason", "[health]") {
    {
        FakeProbe probe;
        probe.loaded = false;
        const auto r = check_health(probe, kecho_server());
        CHECK(r.problem == HealthProblem::ModuleMissing);
        CHECK(r.reason == "kecho module is not loaded");
        CHECK(probe.echoed_ports.empty());
    }
    {
        FakeProbe probe;
        probe.port.reset();
        CHECK(check_health(probe, kecho_server()).problem == HealthProblem::PortUnknown);
    }
    {
        FakeProbe probe;
        probe.listening = false;
        const auto r = check_health(probe, kecho_server());
        CHECK(r.problem == HealthProblem::ListenerMissing);
        CHECK(r.reason == "no listener on port 12345");
        CHECK(probe.echoed_ports.empty());
    }
    {
        FakeProbe probe;
        probe.echo_result = {false, "recv: Connection timed out", {}, {}};
        const auto r = check_health(probe, kecho_server());
        CHECK(r.problem == HealthProblem::EchoFailed);
        CHECK(r.reason == "echo round trip on port 12345 failed: recv: Connection timed out");
        CHECK(r.reason.find('\n') == std::string::npos);
    }
}

TEST_CASE("a reply that differs from the request is a failed echo", "[health]") {
    FakeProbe probe;
    probe.corrupt = true;
    const auto r = check_health(probe, kecho_server());
    CHECK(r.problem == HealthProblem::EchoFailed);
    CHECK(r.reason == "echo round trip on port 12345 failed: reply differs from the payload");
}

TEST_CASE("message mode: one framed message, length in network order by default", "[health]") {
    FakeProbe probe;
    probe.params = {{"mode", "message"}, {"msg_order", "be"}, {"max_msg", "65536"}};
    const auto r = check_health(probe, kecho_server());
    CHECK(r.healthy());
    CHECK(r.mode == "message");
    CHECK(r.reason ==
          "healthy: message round trip (64-byte body, be length) on port 12345 in 1.5 ms");
    REQUIRE(probe.requests.size() == 1);
    const auto& req = probe.requests[0];
    REQUIRE(req.size() == 4 + 64);
    CHECK(std::vector<std::uint8_t>(req.begin(), req.begin() + 4) ==
          std::vector<std::uint8_t>{0, 0, 0, 64});
}

TEST_CASE("message mode: msg_order=le puts the length little-endian", "[health]") {
    FakeProbe probe;
    probe.params = {{"mode", "message"}, {"msg_order", "le"}};
    const auto r = check_health(probe, kecho_server());
    CHECK(r.healthy());
    CHECK(r.reason ==
          "healthy: message round trip (64-byte body, le length) on port 12345 in 1.5 ms");
    REQUIRE(probe.requests.size() == 1);
    CHECK(std::vector<std::uint8_t>(probe.requests[0].begin(), probe.requests[0].begin() + 4) ==
          std::vector<std::uint8_t>{64, 0, 0, 0});
}

TEST_CASE("message mode: the body fits max_msg, an empty one too", "[health]") {
    FakeProbe probe;
    probe.params = {{"mode", "message"}, {"max_msg", "10"}};
    CHECK(check_health(probe, kecho_server()).healthy());
    REQUIRE(probe.requests.size() == 1);
    CHECK(probe.requests[0].size() == 4 + 10);
    // Not params["max_msg"] = "0": GCC 12 warns there (a -Wrestrict false positive).
    probe.params.insert_or_assign("max_msg", std::string("0"));
    const auto r = check_health(probe, kecho_server());
    CHECK(r.healthy());
    CHECK(probe.requests.back() == std::vector<std::uint8_t>{0, 0, 0, 0});
}

TEST_CASE("a kecho without a mode parameter is spoken to in stream mode", "[health]") {
    FakeProbe probe; // no params at all: an older module
    CHECK(check_health(probe, kecho_server()).healthy());
    CHECK(probe.requests.at(0).size() == 64);
}

TEST_CASE("a stream-mode request to a message-mode kecho fails, as it would", "[health]") {
    // The fake reads the first 4 random bytes as a length: almost always
    // over max_msg (reset), else a body that never comes (timeout).
    FakeProbe probe;
    probe.params = {{"mode", "message"}, {"max_msg", "16"}};
    const EchoFraming stream;
    const std::vector<std::uint8_t> body(64, 0xff);
    const auto r = probe.round_trip(12345, frame_request(stream, body));
    CHECK_FALSE(r.ok);
    CHECK(r.error == "recv: Connection reset by peer");
}

TEST_CASE("a mode or msg_order keechoctl does not know is its own problem", "[health]") {
    FakeProbe probe;
    probe.params = {{"mode", "datagram"}};
    auto r = check_health(probe, kecho_server());
    CHECK(r.problem == HealthProblem::ModeUnknown);
    CHECK(r.reason == "kecho's mode is 'datagram', which keechoctl cannot check");
    CHECK(probe.requests.empty());
    probe.params = {{"mode", "message"}, {"msg_order", "pdp"}};
    r = check_health(probe, kecho_server());
    CHECK(r.problem == HealthProblem::ModeUnknown);
    CHECK(r.reason == "kecho's msg_order is 'pdp', which keechoctl cannot check");
}

TEST_CASE("frame_request: a 4-byte body length in the byte order asked for", "[health]") {
    const std::vector<std::uint8_t> body(0x0102, 7);
    const auto be = frame_request({true, false}, body);
    REQUIRE(be.size() == 4 + body.size());
    CHECK(std::vector<std::uint8_t>(be.begin(), be.begin() + 4) ==
          std::vector<std::uint8_t>{0, 0, 1, 2});
    const auto le = frame_request({true, true}, body);
    CHECK(std::vector<std::uint8_t>(le.begin(), le.begin() + 4) ==
          std::vector<std::uint8_t>{2, 1, 0, 0});
    CHECK(frame_request({}, body) == body);
}

TEST_CASE("chat mode: one probe message relayed from one connection to another", "[health][chat]") {
    FakeProbe probe;
    probe.params = {{"mode", "chat"}, {"msg_order", "be"}, {"max_msg", "65536"}};
    const auto r = check_health(probe, kecho_server());
    CHECK(r.healthy());
    CHECK(r.mode == "chat");
    CHECK(r.reason == "healthy: chat relay (64-byte body, be length) on port 12345 in 2.5 ms "
                      "(probe sent 3 times)");
    CHECK(probe.requests.empty()); // not an echo round trip
    REQUIRE(probe.relayed.size() == 1);
    CHECK(probe.relayed_ports == std::vector<std::uint16_t>{12345});
    CHECK(probe.relay_orders == std::vector<bool>{false});
    const auto& msg = probe.relayed[0];
    REQUIRE(msg.size() == 4 + 64);
    CHECK(std::vector<std::uint8_t>(msg.begin(), msg.begin() + 4) ==
          std::vector<std::uint8_t>{0, 0, 0, 64});
    // Other members see it: it says what it is.
    CHECK(std::string(msg.begin() + 4, msg.begin() + 21) == "keechoctl-health ");
    // Two runs send different probes, so one run never takes another's.
    check_health(probe, kecho_server());
    REQUIRE(probe.relayed.size() == 2);
    CHECK(probe.relayed[0] != probe.relayed[1]);
}

TEST_CASE("chat mode: little-endian length, a body cut to max_msg, one send", "[health][chat]") {
    FakeProbe probe;
    probe.params = {{"mode", "chat"}, {"msg_order", "le"}, {"max_msg", "9"}};
    probe.relay_result.sends = 1;
    const auto r = check_health(probe, kecho_server());
    CHECK(r.healthy());
    CHECK(r.reason == "healthy: chat relay (9-byte body, le length) on port 12345 in 2.5 ms");
    CHECK(probe.relay_orders == std::vector<bool>{true});
    CHECK(probe.relayed.at(0) ==
          std::vector<std::uint8_t>{9, 0, 0, 0, 'k', 'e', 'e', 'c', 'h', 'o', 'c', 't', 'l'});
}

TEST_CASE("chat mode: a probe that never arrives, or arrives changed, is unhealthy",
          "[health][chat]") {
    FakeProbe probe;
    probe.params = {{"mode", "chat"}};
    probe.relay_result = {false, "the receiving connection got no probe within 2000 ms", {}, {}, 8};
    auto r = check_health(probe, kecho_server());
    CHECK(r.problem == HealthProblem::EchoFailed);
    CHECK(r.reason == "chat relay (64-byte body, be length) on port 12345 failed: the receiving "
                      "connection got no probe within 2000 ms");
    probe.relay_result = {true, "", std::chrono::microseconds(100), {}, 1};
    probe.corrupt = true;
    r = check_health(probe, kecho_server());
    CHECK(r.problem == HealthProblem::EchoFailed);
    CHECK(r.reason == "chat relay (64-byte body, be length) on port 12345 failed: the message "
                      "relayed differs from the probe");
}
