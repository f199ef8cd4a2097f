// khttpd's health check: check_health() with an HTTP server description on
// a fake probe (the request, the verdicts and their reasons), then
// http_round_trip() and `keechoctl --module khttpd health` on real loopback
// sockets against a fake HTTP server that answers well, answers garbage,
// stays silent, never closes or resets.
#include "cli.h"
#include "errors.h"
#include "fake_http.h"
#include "health.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/socket.h>
#include <utility>

using namespace kecho::ctl;
using kecho::ctl::test::FakeHttpBehavior;
using kecho::ctl::test::FakeHttpServer;
using kecho::ctl::test::TempDir;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytes(std::string_view text) {
    return {text.begin(), text.end()};
}

// khttpd as the probe sees it: loaded, listening on 8080, and whatever
// `result` says the GET brought.
class FakeHttpProbe final : public HealthProbe {
  public:
    bool loaded = true;
    bool listening = true;
    EchoResult result{true, "", std::chrono::microseconds(1200),
                      bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")};
    std::vector<std::string> requests;

    bool module_loaded() override { return loaded; }
    std::optional<std::uint16_t> configured_port() override { return 8080; }
    std::optional<std::string> param(const std::string& /*name*/) override { return std::nullopt; }
    bool listener_present(std::uint16_t /*port*/) override { return listening; }
    EchoResult round_trip(std::uint16_t /*port*/, std::span<const std::uint8_t> /*req*/) override {
        FAIL("khttpd's check must not echo");
        return {};
    }
    EchoResult relay_trip(std::uint16_t /*port*/, std::span<const std::uint8_t> /*msg*/,
                          bool /*little_endian*/) override {
        FAIL("khttpd's check must not relay");
        return {};
    }
    EchoResult http_trip(std::uint16_t /*port*/, std::span<const std::uint8_t> request) override {
        requests.emplace_back(request.begin(), request.end());
        return result;
    }
};

using Run = test::CliRun;

Run run(const Paths& paths, std::vector<std::string> args) {
    return test::run_cli_with(paths, std::move(args));
}

// A fake khttpd loaded on the fake server's port.
Paths khttpd_on(const TempDir& dir, std::uint16_t port) {
    Paths paths = test::fake_paths(dir, "khttpd");
    test::fake_module_loaded(dir, "khttpd",
                             {{"port", std::to_string(port), false},
                              {"root", "/srv/khttpd", false},
                              {"keepalive_timeout", "15"}});
    dir.write("proc/net/khttpd", "accepted 1\nport " + std::to_string(port) + "\n");
    return paths;
}

} // namespace

TEST_CASE("khttpd health: GET / with Connection: close, any well-formed status is healthy",
          "[health][http]") {
    FakeHttpProbe probe;
    auto r = check_health(probe, khttpd_server());
    REQUIRE(probe.requests.size() == 1);
    CHECK(probe.requests[0] == "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    CHECK(r.healthy());
    CHECK(r.http_status == 200);
    CHECK(r.port == 8080);
    CHECK(r.rtt == std::chrono::microseconds(1200));
    CHECK(r.reason == "healthy: HTTP GET / on port 8080: 200 OK in 1.2 ms");
    CHECK(r.mode.empty());

    // A 404 (no index.html) or a 500 is still a server that answers.
    probe.result.reply = bytes("HTTP/1.0 404 Not Found\r\n\r\n");
    r = check_health(probe, khttpd_server());
    CHECK(r.healthy());
    CHECK(r.http_status == 404);
    CHECK(r.reason == "healthy: HTTP GET / on port 8080: 404 Not Found in 1.2 ms");
}

TEST_CASE("khttpd health: not loaded, no listener, garbage, timeout, reset: unhealthy, one line",
          "[health][http]") {
    {
        FakeHttpProbe probe;
        probe.loaded = false;
        const auto r = check_health(probe, khttpd_server());
        CHECK(r.problem == HealthProblem::ModuleMissing);
        CHECK(r.reason == "khttpd module is not loaded");
        CHECK(probe.requests.empty());
    }
    {
        FakeHttpProbe probe;
        probe.listening = false;
        const auto r = check_health(probe, khttpd_server());
        CHECK(r.problem == HealthProblem::ListenerMissing);
        CHECK(r.reason == "no listener on port 8080");
    }
    {
        FakeHttpProbe probe;
        probe.result.reply = bytes("garbage\r\n");
        const auto r = check_health(probe, khttpd_server());
        CHECK(r.problem == HealthProblem::EchoFailed);
        CHECK(r.http_status == 0);
        CHECK(r.reason == "HTTP GET / on port 8080 failed: not an HTTP/1.x status line: 'garbage'");
    }
    {
        FakeHttpProbe probe;
        probe.result = {false, "no close within 2000 ms (0 bytes received)", {}, {}};
        const auto r = check_health(probe, khttpd_server());
        CHECK(r.problem == HealthProblem::EchoFailed);
        CHECK(r.reason == "HTTP GET / on port 8080 failed: no close within 2000 ms (0 bytes "
                          "received)");
    }
    {
        // What arrived before the failure is quoted (its first line).
        FakeHttpProbe probe;
        probe.result = {false,
                        "recv: Connection reset by peer after 19 bytes",
                        {},
                        bytes("HTTP/1.1 200 OK\r\nCo")};
        const auto r = check_health(probe, khttpd_server());
        CHECK(r.problem == HealthProblem::EchoFailed);
        CHECK(r.reason == "HTTP GET / on port 8080 failed: recv: Connection reset by peer after "
                          "19 bytes (received: 'HTTP/1.1 200 OK')");
    }
}

TEST_CASE("http round trip: reads until the close, keeps the head of a large response",
          "[health][http]") {
    const InetAddr loopback{AF_INET, {127, 0, 0, 1}};
    const auto request = bytes(kHttpHealthRequest);
    {
        FakeHttpServer server;
        const auto r =
            http_round_trip(loopback, server.port(), request, std::chrono::milliseconds(2000));
        INFO(r.error);
        CHECK(r.ok);
        CHECK(std::string(r.reply.begin(), r.reply.end()) ==
              "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        REQUIRE(server.requests().size() == 1);
        CHECK(server.requests()[0] == kHttpHealthRequest);
    }
    {
        const std::string body(100000, 'b');
        FakeHttpServer server("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + body);
        const auto r =
            http_round_trip(loopback, server.port(), request, std::chrono::milliseconds(5000));
        INFO(r.error);
        CHECK(r.ok);
        CHECK(r.reply.size() == kHttpReplyKept);
    }
    {
        FakeHttpServer server;
        server.behavior = FakeHttpBehavior::Reset;
        const auto r =
            http_round_trip(loopback, server.port(), request, std::chrono::milliseconds(2000));
        CHECK_FALSE(r.ok);
        CHECK(r.error == "recv: Connection reset by peer after 0 bytes");
    }
}

TEST_CASE("keechoctl --module khttpd health against a real socket: each verdict and its reason",
          "[health][http][cli]") {
    const TempDir dir;
    FakeHttpServer server;
    const Paths paths = khttpd_on(dir, server.port());
    const std::string on = "HTTP GET / on port " + std::to_string(server.port());

    auto r = run(paths, {"--module", "khttpd", "health"});
    INFO(r.err);
    CHECK(r.rc == kExitOk);
    CHECK_THAT(r.out, Catch::StartsWith("healthy: " + on + ": 200 OK in "));
    const auto j =
        nlohmann::json::parse(run(paths, {"--module", "khttpd", "health", "--json"}).out);
    CHECK(j["healthy"] == true);
    CHECK(j["http_status"] == 200);
    CHECK(j["port"] == server.port());
    CHECK(j.contains("rtt_us"));

    server.behavior = FakeHttpBehavior::Silent;
    r = run(paths, {"--module", "khttpd", "health", "--timeout", "300"});
    CHECK(r.rc == kExitSystem);
    CHECK(r.err == on + " failed: no close within 300 ms (0 bytes received)\n");

    server.behavior = FakeHttpBehavior::RespondAndStay;
    r = run(paths, {"--module", "khttpd", "health", "--timeout", "300"});
    CHECK(r.rc == kExitSystem);
    CHECK_THAT(r.err, Catch::StartsWith(on + " failed: no close within 300 ms ("));
    CHECK_THAT(r.err, Catch::EndsWith(" bytes received) (received: 'HTTP/1.1 200 OK')\n"));

    server.behavior = FakeHttpBehavior::Reset;
    r = run(paths, {"--module", "khttpd", "health"});
    CHECK(r.rc == kExitSystem);
    CHECK(r.err == on + " failed: recv: Connection reset by peer after 0 bytes\n");
}

TEST_CASE("keechoctl --module khttpd health: garbage from the port is unhealthy",
          "[health][http][cli]") {
    const TempDir dir;
    FakeHttpServer server("SSH-2.0-OpenSSH_9.2\r\n");
    const Paths paths = khttpd_on(dir, server.port());
    const auto r = run(paths, {"--module", "khttpd", "health"});
    CHECK(r.rc == kExitSystem);
    CHECK(r.err == "HTTP GET / on port " + std::to_string(server.port()) +
                       " failed: not an HTTP/1.x status line: 'SSH-2.0-OpenSSH_9.2'\n");
}

TEST_CASE("keechoctl --module khttpd health: not loaded", "[health][http][cli]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir, "khttpd");
    const auto r = run(paths, {"--module", "khttpd", "health"});
    CHECK(r.rc == kExitSystem);
    // An empty fake /lib/modules: no khttpd and no headers for this kernel.
    CHECK_THAT(r.err, Catch::StartsWith("khttpd module is not loaded: no khttpd module for the "
                                        "running kernel "));
}
