// The client's byte checks against a deliberately faulty peer: payload,
// halfclose and chaos must fail when a loopback server flips a byte, drops
// one or sends one extra, and pass against an honest echo. The subcommands
// run exactly as in the VM, through their command lines, on the port of a
// server thread in this process.
#include "commands.h"
#include "loopback_server.h"
#include "unique_fd.h"

#include <arpa/inet.h>
#include <array>
#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using kecho::UniqueFd;
using kecho::testclient::Argv;
using kecho::testclient::cmd_chaos;
using kecho::testclient::cmd_halfclose;
using kecho::testclient::cmd_payload;
using kecho::testclient::CommandResult;
using kecho::testclient::LoopbackServer;
using kecho::testclient::recv_or_stop;
using kecho::testclient::run_captured;

namespace {

enum class Fault { none, flip, drop, extra };

// Byte offset (in each connection's stream) the fault hits: inside every
// message the tests send (chaos messages are at least 32 bytes).
constexpr std::size_t kFaultAt = 20;

// An echo server on 127.0.0.1 (ephemeral port), a thread per connection,
// that damages each connection's stream once, at kFaultAt.
class FaultyEcho {
  public:
    explicit FaultyEcho(Fault fault)
        : fault_(fault), server_([this](UniqueFd fd, const std::stop_token& stop) {
              serve(std::move(fd), stop);
          }) {}

    [[nodiscard]] std::string port() const { return server_.port(); }

  private:
    void serve(UniqueFd fd, const std::stop_token& stop) const {
        std::array<std::uint8_t, 4096> buf{};
        std::size_t offset = 0; // stream offset of buf[0]
        for (;;) {
            const ssize_t n = recv_or_stop(fd.get(), buf, stop);
            if (n <= 0)
                break;
            std::vector<std::uint8_t> out(buf.begin(), buf.begin() + n);
            if (offset <= kFaultAt && kFaultAt < offset + out.size()) {
                const auto at = static_cast<std::ptrdiff_t>(kFaultAt - offset);
                switch (fault_) {
                case Fault::flip:
                    out[static_cast<std::size_t>(at)] ^= 0x20;
                    break;
                case Fault::drop:
                    out.erase(out.begin() + at);
                    break;
                case Fault::extra:
                    out.insert(out.begin() + at + 1, 0x55);
                    break;
                case Fault::none:
                    break;
                }
            }
            offset += static_cast<std::size_t>(n);
            if (::send(fd.get(), out.data(), out.size(), MSG_NOSIGNAL) !=
                static_cast<ssize_t>(out.size()))
                break;
        }
        ::shutdown(fd.get(), SHUT_WR); // the client's EOF: close our side too
    }

    Fault fault_;
    LoopbackServer server_; // last: its threads use fault_
};

using Result = CommandResult;

Result run(int (*cmd)(const Argv&), const std::string& name, const Argv& argv) {
    return run_captured(cmd, name, argv);
}

Result payload(const FaultyEcho& s) {
    return run(cmd_payload, "payload", {"--port", s.port(), "--size", "100000", "--timeout", "2"});
}
Result halfclose(const FaultyEcho& s) {
    return run(cmd_halfclose, "halfclose",
               {"--port", s.port(), "--size", "100000", "--timeout", "2"});
}
Result chaos(const FaultyEcho& s) {
    return run(cmd_chaos, "chaos",
               {"--port", s.port(), "--clients", "12", "--parallel", "4", "--mix", "good=2,slow=1",
                "--size", "4k", "--slow-size", "2k", "--timeout", "2"});
}

bool has(const std::string& text, const std::string& what) {
    return text.find(what) != std::string::npos;
}

} // namespace

TEST_CASE("an honest echo passes payload, halfclose and chaos") {
    const FaultyEcho honest(Fault::none);
    CHECK(payload(honest).rc == 0);
    CHECK(halfclose(honest).rc == 0);
    const Result c = chaos(honest);
    CHECK(c.rc == 0);
    CHECK(has(c.out, "12 well-behaved clients echoed exactly"));
}

TEST_CASE("a flipped byte fails every check, as a mismatch at its offset") {
    const FaultyEcho flip(Fault::flip);
    const std::string at = "byte " + std::to_string(kFaultAt) + ": got 0x";
    for (const Result& r : {payload(flip), halfclose(flip), chaos(flip)}) {
        CHECK(r.rc == 1);
        CHECK(has(r.out, "FAIL"));
        CHECK(has(r.out, at));
        CHECK_FALSE(has(r.out, "echoed exactly"));
    }
}

TEST_CASE("a dropped byte fails every check") {
    const FaultyEcho drop(Fault::drop);
    // the bytes after it arrive shifted: a mismatch
    for (const Result& r : {payload(drop), halfclose(drop), chaos(drop)}) {
        CHECK(r.rc == 1);
        CHECK(has(r.out, ": got 0x"));
        CHECK_FALSE(has(r.out, "echoed exactly"));
    }
}

TEST_CASE("an extra byte fails every check") {
    const FaultyEcho extra(Fault::extra);
    for (const Result& r : {payload(extra), halfclose(extra), chaos(extra)}) {
        CHECK(r.rc == 1);
        CHECK(has(r.out, "FAIL"));
        CHECK_FALSE(has(r.out, "echoed exactly"));
    }
}

TEST_CASE("bytes after a complete echo fail payload and chaos") {
    // Everything echoed exactly, then one byte more: only the check that
    // the server closes without sending more can see it.
    const LoopbackServer trailing([](UniqueFd fd, const std::stop_token&) {
        std::array<std::uint8_t, 4096> buf{};
        for (ssize_t n = 0; (n = ::recv(fd.get(), buf.data(), buf.size(), 0)) > 0;)
            ::send(fd.get(), buf.data(), static_cast<std::size_t>(n), MSG_NOSIGNAL);
        ::send(fd.get(), "!", 1, MSG_NOSIGNAL);
    });
    const Result p = run(cmd_payload, "payload", {"--port", trailing.port(), "--size", "5000"});
    CHECK(p.rc == 1);
    CHECK(has(p.out, "1 bytes more than sent came back after the echo"));
    const Result c = run(cmd_chaos, "chaos",
                         {"--port", trailing.port(), "--clients", "3", "--parallel", "1", "--size",
                          "2k", "--timeout", "2"});
    CHECK(c.rc == 1);
    CHECK(has(c.out, "bytes more than sent came back after the echo"));
}
